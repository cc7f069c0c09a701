/**
 * Layer rules (see docs/architecture.md): dependencies point inward only.
 * domain/ -> domain/ (+ node:crypto, libphonenumber-js); application/ -> application/, domain/;
 * runtime code never imports infra/ or tests/.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "domain-is-pure",
      comment:
        "domain/ imports only domain/ (node:crypto and libphonenumber-js aside): no I/O, no framework, no other layer. " +
        "libphonenumber-js is pure (numbering-plan data and functions, no I/O): caller ids are read by the plan, not by hand.",
      severity: "error",
      from: { path: "^domain/" },
      // libphonenumber-js: Google's numbering-plan metadata and the functions over it; no I/O, no state.
      to: { pathNot: ["^domain/", "^crypto$", "^node:crypto$", "^node_modules/libphonenumber-js/"] },
    },
    {
      name: "application-imports-only-domain",
      comment: "application/ (use cases and ports) depends on domain/ only.",
      severity: "error",
      from: { path: "^application/" },
      to: { pathNot: ["^application/", "^domain/"] },
    },
    {
      name: "runtime-never-imports-infra-or-tests",
      comment: "Runtime code (domain, application, adapters) must not depend on the Pulumi program or tests.",
      severity: "error",
      from: { path: "^(domain|application|adapters)/" },
      to: { path: "^(infra|tests|bench)/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
