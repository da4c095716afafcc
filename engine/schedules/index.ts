/** Public API of the learning-rate schedules (see schedules.ts for the formulas). */
export { learningRate, plateauTrace, sampleSchedule, validateSchedule, type ScheduleSpec } from './schedules';
export { WARMUP_HYPER, makeSchedule, scheduleInfos } from './registry';
