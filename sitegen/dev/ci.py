"""The CI workflows that check, build and publish a project (``sitegen new --ci``).

They are also what ``docs/examples/`` holds (``sitegen.docgen`` writes them).
"""

from __future__ import annotations

from sitegen import __version__
from sitegen.errors import UsageError

CI_KINDS = ("github", "gitlab")

# Install the same release as the developer's, so CI builds what `sitegen serve` showed.
_INSTALL = f'pip install "sitegen=={__version__}"'
_PROJECT_PATHS = (
    "sitegen.toml",
    "goals.toml",
    "cases.toml",
    "data/**",
    "pages/**",
    "assets/**",
    "templates/**",
)


def github_workflow(portfolio: bool = False) -> str:
    """Return the GitHub Actions workflow: check, build and publish to GitHub Pages."""
    if portfolio:
        paths = ["content/**"]
        check, build = "sitegen check --strict", "sitegen build"
    else:
        paths = list(_PROJECT_PATHS)
        check, build = "sitegen check --strict .", "sitegen build . -o output"
    path_lines = "\n".join(f'      - "{p}"' for p in [*paths, ".github/workflows/sitegen.yml"])
    return f"""# Build the report on every push of new data and publish it to GitHub Pages.
# Setup: Settings -> Pages -> Build and deployment -> Source: "GitHub Actions".
name: sitegen

on:
  push:
    branches: [main]
    paths:
{path_lines}
  workflow_dispatch:             # a "Run workflow" button for a rebuild by hand

permissions:
  contents: read
  pages: write                   # to publish to GitHub Pages
  id-token: write                # to prove to Pages that this workflow is the publisher

concurrency:                     # one publication at a time; a newer push wins
  group: pages
  cancel-in-progress: true

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: {_INSTALL}
      - uses: actions/cache@v4   # charts that did not change are not drawn again
        with:
          path: .sitegen-cache
          key: sitegen-${{{{ github.run_id }}}}
          restore-keys: sitegen-
      - name: Check the project (warnings fail the build)
        run: {check}
      - name: Build the site
        run: {build}
      - uses: actions/upload-pages-artifact@v3
        with:
          path: output

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def gitlab_ci(portfolio: bool = False) -> str:
    """Return the GitLab CI file: check, build and publish to GitLab Pages."""
    if portfolio:
        paths = ["content/**/*"]
        check, build = "sitegen check --strict", "sitegen build -o public"
    else:
        paths = [p.replace("**", "**/*") for p in _PROJECT_PATHS]
        check, build = "sitegen check --strict .", "sitegen build . -o public"
    path_lines = "\n".join(f'        - "{p}"' for p in [*paths, ".gitlab-ci.yml"])
    return f"""# Build the report on every push of new data and publish it to GitLab Pages.
# GitLab Pages publishes the "public" folder of the job named "pages".
pages:
  image: python:3.11-slim
  script:
    - {_INSTALL}
    - {check}
    - {build}
  artifacts:
    paths:
      - public
  cache:                         # charts that did not change are not drawn again
    key: sitegen
    paths:
      - .sitegen-cache/
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      changes:
{path_lines}
    - if: $CI_PIPELINE_SOURCE == "web"   # "Run pipeline" by hand
"""


def ci_files(kind: str) -> dict[str, str]:
    """Return the CI files (path in the project -> text) for kind: github or gitlab."""
    if kind == "github":
        return {".github/workflows/sitegen.yml": github_workflow()}
    if kind == "gitlab":
        return {".gitlab-ci.yml": gitlab_ci()}
    raise UsageError(
        f"unknown CI {kind!r}", expected=" | ".join(CI_KINDS), hint="use --ci github or --ci gitlab"
    )
