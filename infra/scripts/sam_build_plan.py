"""What `sam build` would build for each function, asked of SAM CLI's own code (not ours).

    python infra/scripts/sam_build_plan.py [template.yaml]

Prints one JSON object: {logical id: {"build_method", "binary", "architecture"}}, read
through the objects `sam build` itself uses: SamLocalStackProvider (parameters resolved
with their defaults), SamFunctionProvider (Globals merged), get_workflow_config (the
workflow the BuildMethod selects) and ApplicationBuilder._get_build_options (the options
handed to the cargo-lambda workflow, where `artifact_executable_name` becomes
`cargo lambda build --bin <name>`). Exits 1, naming the functions, when any function
would be built without a binary: that is the `cargo lambda build` over the whole workspace
that then cannot pick a bootstrap. infra/local/tests/template_check.rs runs it on the real
template and on a copy with the key SAM CLI ignores.
"""

import json
import os
import sys

from samcli.lib.build.app_builder import ApplicationBuilder
from samcli.lib.build.workflow_config import get_workflow_config
from samcli.lib.providers.sam_function_provider import SamFunctionProvider
from samcli.lib.providers.sam_stack_provider import SamLocalStackProvider


def plan(template_path):
    stacks, _ = SamLocalStackProvider.get_stacks(template_path)
    base_dir = os.path.dirname(os.path.abspath(template_path))
    out = {}
    for function in SamFunctionProvider(stacks, ignore_code_extraction_warnings=True).get_all():
        metadata = function.metadata or {}
        code_dir = os.path.join(base_dir, function.codeuri or ".")
        config = get_workflow_config(function.runtime, code_dir, base_dir, specified_workflow=metadata.get("BuildMethod"))
        options = ApplicationBuilder._get_build_options(
            function.name,
            config.language,
            base_dir,
            function.handler,
            config.dependency_manager,
            metadata,
            source_code_path=code_dir,
        )
        out[function.name] = {
            "build_method": metadata.get("BuildMethod"),
            "language": config.language,
            "binary": (options or {}).get("artifact_executable_name"),
            "architecture": function.architecture,
        }
    return out


def main():
    template = sys.argv[1] if len(sys.argv) > 1 else "template.yaml"
    result = plan(template)
    print(json.dumps(result, indent=2, sort_keys=True))
    missing = sorted(name for name, f in result.items() if not f["binary"])
    if missing:
        print(f"sam build would pick no binary for: {', '.join(missing)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
