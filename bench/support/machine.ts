import { readFileSync } from "node:fs";
import { arch, cpus, loadavg, release, tmpdir, totalmem, type as osType } from "node:os";
import type { MachineInfo } from "./result";

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** The file system type under `path` (from /proc/mounts): fsync cost, and so the post-call figures, depend on it. */
function fileSystemOf(path: string): string | undefined {
  let best: { mount: string; type: string } | undefined;
  for (const line of readOrEmpty("/proc/mounts").split("\n")) {
    const [, mount, type] = line.split(" ");
    if (mount === undefined || type === undefined) continue;
    if ((path === mount || path.startsWith(mount.endsWith("/") ? mount : `${mount}/`)) && mount.length >= (best?.mount.length ?? 0)) best = { mount, type };
  }
  return best?.type;
}

/** What the figures were measured on; the load average says whether something else was running. */
export function machineInfo(): MachineInfo {
  const model = /^model name\s*:\s*(.+)$/m.exec(readOrEmpty("/proc/cpuinfo"))?.[1] ?? cpus()[0]?.model ?? "unknown";
  const distro = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readOrEmpty("/etc/os-release"))?.[1];
  const tmpFs = fileSystemOf(tmpdir());
  return {
    cpus: cpus().length,
    model: model.trim(),
    node: process.version,
    os: `${distro ?? osType()} (${osType()} ${release()} ${arch()})`,
    memory_mb: Math.round(totalmem() / 1024 / 1024),
    load_avg_1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    ...(tmpFs === undefined ? {} : { tmp_fs: tmpFs }),
  };
}
