import { UnitOfWork } from '@myfsio/metadata';

// The server leaves nesting detection off (it costs promise hooks); the medium suites, which
// drive the repositories and units directly, turn it on so a nested unit fails loudly.
UnitOfWork.detectNesting(true);
