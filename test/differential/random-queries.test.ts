// Differential test over an in-memory Quiver database (see random-queries-suite.ts).

import { describeRandomQueries } from './random-queries-suite.js';
import { QuiverEngine } from './quiver-engine.js';

describeRandomQueries('in memory', (queryTimeoutMs) => QuiverEngine.open(':memory:', { queryTimeoutMs }));
