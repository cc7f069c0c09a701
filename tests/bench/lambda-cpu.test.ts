// BENCH_LAMBDA_CPU=1 runs each bundle's events at the share of a CPU Lambda gives its memory size,
// through a cgroup CPU quota; these tests check the share and what is written where (on a directory
// laid out as cgroup v1 or v2), not the kernel's scheduler.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { invokeCpu, invokeCpuShare, lambdaCpuRequested } from "../../bench/support/lambda-cpu";

const dir = mkdtempSync(join(tmpdir(), "lambda-cpu-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the CPU a Lambda invocation gets", () => {
  it("is its memory's share of one vCPU, a whole one from 1,769 MB", () => {
    expect(invokeCpuShare(256)).toBeCloseTo(0.1447, 4);
    expect(invokeCpuShare(1769)).toBe(1);
    expect(invokeCpuShare(3008)).toBe(1);
    expect(() => invokeCpuShare(0)).toThrow("memory size 0 MB is not a function's");
  });

  it("is only limited when BENCH_LAMBDA_CPU=1 asks for it, and a value it cannot read is named", () => {
    expect(lambdaCpuRequested({})).toBe(false);
    expect(lambdaCpuRequested({ BENCH_LAMBDA_CPU: "0" })).toBe(false);
    expect(lambdaCpuRequested({ BENCH_LAMBDA_CPU: " 1 " })).toBe(true);
    expect(() => lambdaCpuRequested({ BENCH_LAMBDA_CPU: "yes" })).toThrow("BENCH_LAMBDA_CPU=yes: give 1");

    const full = invokeCpu({ requested: false, name: "unused", memorySizeMb: 256, root: join(dir, "nowhere") });
    expect(full.share).toBe(1);
    expect(full.procsFile).toBeUndefined();
  });

  it("is a CPU quota of 256 MB's share per 20 ms period under cgroup v1's cpu controller", () => {
    const root = join(dir, "v1");
    mkdirSync(join(root, "cpu"), { recursive: true });

    const cpu = invokeCpu({ requested: true, name: "bench-worker", memorySizeMb: 256, root });

    const group = join(root, "cpu", "bench-worker");
    expect(readFileSync(join(group, "cpu.cfs_period_us"), "utf8")).toBe("20000");
    expect(readFileSync(join(group, "cpu.cfs_quota_us"), "utf8")).toBe("2894");
    expect(cpu.procsFile).toBe(join(group, "cgroup.procs"));
    expect(cpu.share).toBeCloseTo(0.1447, 4);
  });

  it("is cgroup v2's cpu.max, with the cpu controller turned on for the root's children", () => {
    const root = join(dir, "v2");
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "cgroup.controllers"), "cpuset cpu io memory pids");
    writeFileSync(join(root, "cgroup.subtree_control"), "memory pids");

    const cpu = invokeCpu({ requested: true, name: "bench-sweep", memorySizeMb: 512, root });

    expect(readFileSync(join(root, "cgroup.subtree_control"), "utf8")).toBe("+cpu");
    expect(readFileSync(join(root, "bench-sweep", "cpu.max"), "utf8")).toBe("5789 20000");
    expect(cpu.procsFile).toBe(join(root, "bench-sweep", "cgroup.procs"));
  });

  it("fails before anything is measured where no cgroup can be made, saying what it needs", () => {
    const notADirectory = join(dir, "file");
    writeFileSync(notADirectory, "");

    expect(() => invokeCpu({ requested: true, name: "bench-retrieve", memorySizeMb: 256, root: notADirectory })).toThrow(
      /BENCH_LAMBDA_CPU=1 needs a cgroup CPU controller the bench may write under .*file \(as root\)/,
    );
  });
});
