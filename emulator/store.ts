/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev code, never published: n8n Cloud's sandbox rules are for the package */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { dirname } from 'path';

export interface StoredWhitelisting {
	id: string;
	mac: string;
	name: string;
	description: string | null;
	toDate: string | null;
	tags: Array<{ value: string }>;
	createdBy: string | null;
}

export type SessionModule = 'selfProvisioning' | 'meetingHost' | 'whitelisting' | 'conferences';

/** A simulated active sign-in, so that revocations have something to count. */
export interface Session {
	email?: string;
	mac?: string;
	module: SessionModule;
}

export interface State {
	users: Record<string, { password: string; createdAt: string; updatedAt: string }>;
	policies: Record<string, { name: string; emails: string[] }>;
	whitelistings: StoredWhitelisting[];
	sessions: Session[];
}

export function emptyState(): State {
	return { users: {}, policies: {}, whitelistings: [], sessions: [] };
}

/**
 * The emulator's state, kept in memory and, when a file is given, written after every change
 * with write-then-rename so that a crash never leaves half a file.
 */
export class Store {
	state: State;
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly file: string | undefined,
		seed?: Partial<State>,
	) {
		const saved = file ? readIfExists(file) : undefined;
		this.state = { ...emptyState(), ...structuredClone(saved ?? seed ?? {}) };
		if (!saved) this.flush();
	}

	/**
	 * Writes soon: changes within 50 ms share one write, so that thousands of requests do not mean
	 * thousands of full-file writes. `flush` (also called on stop) writes at once.
	 */
	save(): void {
		if (!this.file || this.timer) return;
		this.timer = setTimeout(() => this.flush(), 50);
		this.timer.unref();
	}

	flush(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		if (!this.file) return;
		mkdirSync(dirname(this.file), { recursive: true });
		const temporary = `${this.file}.${process.pid}.tmp`;
		writeFileSync(temporary, JSON.stringify(this.state, null, 2));
		renameSync(temporary, this.file);
	}

	reset(seed?: Partial<State>): void {
		this.state = { ...emptyState(), ...structuredClone(seed ?? {}) };
		this.flush();
	}
}

function readIfExists(file: string): State | undefined {
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as State;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- no n8n node here: a dev tool passes the error on as it is
		throw error;
	}
}

export function loadSeed(file: string): Partial<State> {
	return JSON.parse(readFileSync(file, 'utf8')) as Partial<State>;
}
