import type { MetricDatum, StandardUnit } from "@aws-sdk/client-cloudwatch";
import { vi } from "vitest";

/** One Embedded Metric Format line, as far as CloudWatch Logs reads it. */
export interface EmfLine {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly { readonly Namespace: string; readonly Dimensions: readonly (readonly string[])[]; readonly Metrics: readonly { Name: string; Unit?: string }[] }[];
  };
  readonly [member: string]: unknown;
}

/** The EMF lines `act` prints on stdout (and only those: other output passes through). */
export async function captureEmf(act: () => Promise<void>): Promise<EmfLine[]> {
  const lines: EmfLine[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    lines.push(...emfLinesOf(text));
    return text.includes('"_aws"') ? true : (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  });
  try {
    await act();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

/** The EMF lines in what a process printed (its other JSON log lines and text left out). */
export function emfLinesOf(output: string): EmfLine[] {
  return output.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    const parsed = JSON.parse(line) as Partial<EmfLine>;
    return parsed._aws === undefined ? [] : [parsed as EmfLine];
  });
}

/** A metric as CloudWatch stores it: namespace, name and dimensions (sorted by name). */
export interface MetricIdentity {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/**
 * What CloudWatch Logs makes of one EMF line (per the EMF specification): for each directive, each
 * dimension set and each metric, one datum with the dimension values and the metric's value(s) taken
 * from the line's root, at the line's timestamp.
 */
export function emfToMetricData(line: EmfLine): { namespace: string; data: MetricDatum[] }[] {
  return line._aws.CloudWatchMetrics.map((directive) => ({
    namespace: directive.Namespace,
    data: directive.Dimensions.flatMap((set) =>
      directive.Metrics.flatMap((metric) => {
        const raw = line[metric.Name];
        const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is number => typeof v === "number");
        return values.map((Value) => ({
          MetricName: metric.Name,
          Dimensions: set.map((name) => ({ Name: name, Value: String(line[name]) })),
          Value,
          ...(metric.Unit === undefined ? {} : { Unit: metric.Unit as StandardUnit }),
          Timestamp: new Date(line._aws.Timestamp),
        }));
      }),
    ),
  }));
}

/** Every metric an EMF line creates, by identity. */
export function emfMetricIdentities(line: EmfLine): MetricIdentity[] {
  return emfToMetricData(line).flatMap(({ namespace, data }) =>
    data.map((datum) => ({
      namespace,
      name: datum.MetricName ?? "",
      dimensions: Object.fromEntries((datum.Dimensions ?? []).map((d): [string, string] => [d.Name ?? "", d.Value ?? ""]).sort(([a], [b]) => a.localeCompare(b))),
    })),
  );
}
