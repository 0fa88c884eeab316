export { startEmulator } from './emulator';
export { FaultSpecError, parseFaultSpec, FAULT_SYNTAX } from './faults/fault-spec';
export { ERRORS as EMULATOR_ERRORS } from './envelope';
export type {
  CapacityOptions,
  CapacityState,
  Emulator,
  EmulatorOptions,
  EmulatorState,
  EmulatorTradeSummary,
  FaultEndpoint,
  FaultSpec,
  GameId,
  InventoryItem,
  LifecycleOptions,
  OneShotFault,
  Trade,
  TradeStatus,
} from './types';
