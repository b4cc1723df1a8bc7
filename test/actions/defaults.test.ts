import { DEFAULT_BATCH_SIZE, batchSizeOption } from '../../nodes/NetgraphSignIn/actions/batching';
import { CONTEXTS_AT_ONCE } from '../../nodes/NetgraphSignIn/actions/contextGroups';
import { requestOptionsDescription } from '../../nodes/NetgraphSignIn/actions/requestOptions';
import { passwordFields } from '../../nodes/NetgraphSignIn/actions/user/shared';
import { AUTO, MAX_CONCURRENCY } from '../../nodes/NetgraphSignIn/transport/limiter';
import { DEFAULT_RETRY_POLICY } from '../../nodes/NetgraphSignIn/transport/retry';
import { PASSWORD_LENGTH } from '../../nodes/NetgraphSignIn/validation/rules';

/** n8n's lint wants literal defaults in descriptions; these keep them equal to the constants the code uses. */
it('the defaults shown in the editor are the ones the code applies', () => {
	const option = (name: string) => requestOptionsDescription.options!.find((entry) => 'name' in entry && entry.name === name) as { default: unknown };
	expect(option('maxAttempts').default).toBe(DEFAULT_RETRY_POLICY.maxAttempts);
	expect(option('initialDelayMs').default).toBe(DEFAULT_RETRY_POLICY.initialDelayMs);
	expect(option('timeoutSeconds').default).toBe(DEFAULT_RETRY_POLICY.timeoutMs / 1000);
	expect(option('concurrency').default).toBe(AUTO);
	// The editor lists them sorted by name (n8n's rule): 1 to MAX_CONCURRENCY, then Auto (0).
	expect((option('concurrency') as unknown as { options: Array<{ value: number }> }).options.map((entry) => entry.value)).toEqual([
		...Array.from({ length: MAX_CONCURRENCY }, (_, index) => index + 1),
		AUTO,
	]);
	const contextsAtOnce = option('contextsAtOnce') as unknown as { default: number; typeOptions: { maxValue: number } };
	expect([contextsAtOnce.default, contextsAtOnce.typeOptions.maxValue]).toEqual([CONTEXTS_AT_ONCE, MAX_CONCURRENCY]);
	expect(batchSizeOption().default).toBe(DEFAULT_BATCH_SIZE);
	expect(passwordFields('create').find((field) => field.name === 'passwordLength')!.default).toBe(PASSWORD_LENGTH.default);
});
