/** `coffre webhooks list|replay`: the webhook outbox (deliveries per event and URL; dead ones replayed with the same event id). */
import type { Command } from 'commander'
import type { WebhookDeliveryState } from '../../vault/chain/webhookService.ts'
import { CLI_ACTOR, withVault, type CliContext } from '../context.ts'
import { parseIntegerOption, print } from '../io.ts'

export function registerWebhooks(program: Command, ctx: CliContext): void {
  const webhooks = program.command('webhooks').description('the webhook outbox: list deliveries, replay them')

  webhooks
    .command('list')
    .description('deliveries, oldest first')
    .option('--state <state>', 'pending, delivered or dead')
    .option('--event-id <id>', 'one event')
    .option('--limit <n>', 'at most this many (default 100)')
    .action(async (options: { state?: string; eventId?: string; limit?: string }, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const list = await vault.chain.webhooks.list({
          ...(options.state === undefined ? {} : { state: options.state as WebhookDeliveryState }),
          ...(options.eventId === undefined ? {} : { eventId: options.eventId }),
          ...(options.limit === undefined ? {} : { limit: parseIntegerOption(options.limit, '--limit', 1, 1000) }),
        })
        print(out, list, () => list.map((d) => `${d.eventId} ${d.type} ${d.state} attempts=${d.attempts} ${d.endpoint}${d.lastError === null ? '' : ` (${d.lastError})`}`).join('\n') || 'no deliveries')
      }),
    )

  webhooks
    .command('replay')
    .description('send deliveries again (same event id, fresh signature): one event, or every delivery in a state')
    .option('--event-id <id>', 'the event to replay')
    .option('--state <state>', 'replay every delivery in this state (e.g. dead)')
    .action(async (options: { state?: string; eventId?: string }, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const result = await vault.chain.webhooks.replay(
          { ...(options.state === undefined ? {} : { state: options.state as WebhookDeliveryState }), ...(options.eventId === undefined ? {} : { eventId: options.eventId }) },
          { actor: CLI_ACTOR },
        )
        print(out, result, () => `${result.replayed} deliveries pending again`)
      }),
    )
}
