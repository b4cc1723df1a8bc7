/**
 * Every test file gets its own module registry, and so its own nock; each must switch its
 * interception off when done, or the next file's requests reach a stale nock.
 */
import nock from 'nock';

beforeAll(() => {
	if (!nock.isActive()) nock.activate();
	nock.disableNetConnect();
});

afterEach(() => {
	const pending = nock.pendingMocks();
	nock.cleanAll();
	expect(pending).toEqual([]);
});

afterAll(() => {
	nock.cleanAll();
	nock.restore();
	nock.enableNetConnect();
});
