/** Where long operator work (erasure, export, retention) says how far it got; the CLI prints it on stderr. */
export type Progress = (message: string) => void;

export const silent: Progress = () => undefined;

/** Long sweeps (every stored event, every archive object) say how far they got every this many items. */
export const PROGRESS_EVERY = 100;
