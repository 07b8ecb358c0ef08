// Imported (for its effect) by every property test: a failing property's report carries the
// assertion that failed, not only the counterexample, so a CI log says what broke.
import * as fc from 'fast-check';

fc.configureGlobal({ ...fc.readConfigureGlobal(), includeErrorInReport: true });
