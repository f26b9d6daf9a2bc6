import type { WasiStat, WasiTimes } from './directory.js';

/** A time the guest set, and what the host reported for it right after. */
interface KeptTime {
  readonly set: bigint;
  readonly host: bigint;
}

interface KeptFileTimes {
  atim?: KeptTime;
  mtim?: KeptTime;
}

/** How many files' times are remembered; past it the oldest record is forgotten. */
const MAX_FILES = 4096;

/**
 * The access and modification times a guest set, kept at full precision for a file system whose
 * host calls keep less.
 * Why: Node's `utimes`/`futimes`/`lutimes` take seconds as a double and libuv rounds them down
 * to microseconds, so a program that sets a time in nanoseconds and reads it back would see it
 * changed (wasi-testsuite's `path_filestat` does exactly this).
 *
 * The rule: when the guest sets a file's times, what it set (and, for a time it did not set, what
 * it saw before) is recorded per file identity (`dev`, `ino`) next to what the host reports right
 * after. A later stat of that file — through any path, hard link or fd — reports the recorded
 * time as long as the host still reports the time it reported then. Once the host's time differs
 * (the file was written or read, or changed by another process), the record is dropped and the
 * host's time is what the guest sees. A time the host keeps exactly is not recorded at all. At
 * most 4096 files are remembered; past that the oldest record is forgotten and its time reads
 * back at the host's precision.
 */
export class KeptTimes {
  readonly #files = new Map<string, KeptFileTimes>();

  /** `stat` with the times the guest set where the host still reports the times it kept then. */
  view(stat: WasiStat): WasiStat {
    const key = identityOf(stat);
    const kept = key === undefined ? undefined : this.#files.get(key);
    if (kept === undefined) return stat;
    const atim = kept.atim !== undefined && kept.atim.host === stat.atim ? kept.atim.set : undefined;
    const mtim = kept.mtim !== undefined && kept.mtim.host === stat.mtim ? kept.mtim.set : undefined;
    if (atim === undefined) delete kept.atim;
    if (mtim === undefined) delete kept.mtim;
    if (kept.atim === undefined && kept.mtim === undefined) this.#files.delete(key!);
    return atim === undefined && mtim === undefined ? stat : { ...stat, atim: atim ?? stat.atim, mtim: mtim ?? stat.mtim };
  }

  /**
   * Sets a file's times through the host and records them as above.
   * @param statHost the file's attributes as the host reports them now
   * @param setHost the host call, with both times in nanoseconds (it may keep fewer digits)
   */
  set(times: WasiTimes, statHost: () => WasiStat, setHost: (atim: bigint, mtim: bigint) => void): void {
    const before = this.view(statHost());
    const atim = times.atim ?? before.atim;
    const mtim = times.mtim ?? before.mtim;
    setHost(atim, mtim);
    const after = statHost();
    const key = identityOf(after);
    if (key === undefined) return;
    const kept: KeptFileTimes = {};
    if (after.atim !== atim) kept.atim = { set: atim, host: after.atim };
    if (after.mtim !== mtim) kept.mtim = { set: mtim, host: after.mtim };
    this.#files.delete(key);
    if (kept.atim === undefined && kept.mtim === undefined) return;
    this.#files.set(key, kept);
    if (this.#files.size > MAX_FILES) this.#files.delete(this.#files.keys().next().value!);
  }
}

/** The file's identity on the host; undefined where the host gives no inode numbers. */
function identityOf(stat: WasiStat): string | undefined {
  return stat.ino === 0n ? undefined : `${stat.dev}:${stat.ino}`;
}
