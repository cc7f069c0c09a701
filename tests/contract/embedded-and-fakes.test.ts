import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FsConversationArchive } from "../../adapters/outbound/embedded/fs-conversation-archive";
import { FsEventInbox } from "../../adapters/outbound/embedded/fs-event-inbox";
import { SqliteMemoryStore } from "../../adapters/outbound/embedded/sqlite-memory-store";
import { InMemoryConversationArchive } from "../fakes/in-memory-conversation-archive";
import { InMemoryEventInbox } from "../fakes/in-memory-event-inbox";
import { InMemoryMemoryStore } from "../fakes/in-memory-memory-store";
import { describeConversationArchiveContract } from "./conversation-archive.contract";
import { describeEventInboxContract } from "./event-inbox.contract";
import { describeMemoryStoreContract } from "./memory-store.contract";

const tempDir = () => mkdtempSync(join(tmpdir(), "agentic-memory-contract-"));

describeMemoryStoreContract("in-memory fake", async () => ({ store: new InMemoryMemoryStore() }));
describeMemoryStoreContract("embedded SQLite", async () => {
  const store = new SqliteMemoryStore(join(tempDir(), "memories.db"));
  return { store, close: async () => store.close() };
});

describeEventInboxContract("in-memory fake", async () => new InMemoryEventInbox());
describeEventInboxContract("file system", async () => new FsEventInbox(tempDir()));

describeConversationArchiveContract("in-memory fake", async () => new InMemoryConversationArchive());
describeConversationArchiveContract("file system", async () => new FsConversationArchive(tempDir()));
