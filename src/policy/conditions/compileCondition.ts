/** Condition → compiled closure, by type (velocity conditions are compiled apart, as charges). */
import type { Condition } from '../schema/conditions.ts'
import { compileChainId, compileTimeWindow, compileTokenApproval, compileWithdrawal } from './chainConditions.ts'
import type { CompiledCondition } from './compiledCondition.ts'
import { compileErc20, compileEvmTo, compileNativeValue, compileSelector, compileSetApprovalForAll } from './evmConditions.ts'
import { compileMessage } from './messageCondition.ts'
import { compilePolymarketOrder } from './polymarketConditions.ts'
import { compileSolanaApproval, compileSolanaFeePayer, compileSolanaInstruction, compileSolanaProgram, compileSolanaTransfer } from './solanaConditions.ts'
import { compileClobAuth, compilePermit, compileTypedData, compileTypedDataDomain, compileTypedDataField } from './typedDataConditions.ts'

export function compileCondition(condition: Exclude<Condition, { type: 'velocity' }>): CompiledCondition {
  switch (condition.type) {
    case 'time-window': return compileTimeWindow(condition)
    case 'chain-id': return compileChainId(condition)
    case 'evm-to': return compileEvmTo(condition)
    case 'native-value': return compileNativeValue(condition)
    case 'selector': return compileSelector(condition)
    case 'erc20': return compileErc20(condition)
    case 'set-approval-for-all': return compileSetApprovalForAll(condition)
    case 'typed-data': return compileTypedData(condition)
    case 'typed-data-domain': return compileTypedDataDomain(condition)
    case 'typed-data-field': return compileTypedDataField(condition)
    case 'permit': return compilePermit(condition)
    case 'clob-auth': return compileClobAuth(condition)
    case 'polymarket-order': return compilePolymarketOrder(condition)
    case 'message': return compileMessage(condition)
    case 'solana-program': return compileSolanaProgram(condition)
    case 'solana-instruction': return compileSolanaInstruction(condition)
    case 'solana-transfer': return compileSolanaTransfer(condition)
    case 'solana-approval': return compileSolanaApproval(condition)
    case 'solana-fee-payer': return compileSolanaFeePayer(condition)
    case 'withdrawal': return compileWithdrawal(condition)
    case 'token-approval': return compileTokenApproval(condition)
  }
}
