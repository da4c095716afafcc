/**
 * Web Worker for the training panel's experiments (on the current graph, and the lecture presets:
 * XOR seeds, optimizer paths), so the UI thread
 * never runs them: one request in, a stream of ExperimentMessage out (./experiments).
 */
import { runExperimentRequest, type ExperimentRequest } from './experiments';

const scope = self as unknown as {
  onmessage: ((e: { data: ExperimentRequest }) => void) | null;
  postMessage(m: unknown): void;
};

scope.onmessage = (e) => void runExperimentRequest(e.data, (m) => scope.postMessage(m));
