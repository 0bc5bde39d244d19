"""Calls that only work in one environment: a hosted notebook service, or one machine's
folders. MLP302 reports them; the path rules and `extract` leave their arguments to it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EnvironmentCall:
    """A call that only works in one environment; `path_argument` makes it conditional;
    `platform`: the hosted service whose set-up it is (a notebook made for it may call it;
    interactive calls such as Colab's upload widget have none: a run cannot answer them)."""

    what: str
    advice: str
    path_argument: int | None = None
    platform: str = ""


ENVIRONMENT_CALLS: dict[str, EnvironmentCall] = {
    "google.colab.drive.mount": EnvironmentCall(
        "mounts Google Drive, which only works in Google Colab",
        "read data from a path given by configuration",
        platform="colab",
    ),
    "google.colab.files.upload": EnvironmentCall(
        "opens Colab's upload widget", "read the file from a path given by configuration"
    ),
    "google.colab.files.download": EnvironmentCall(
        "opens Colab's download widget",
        "write results to a path given by configuration",
        platform="colab",
    ),
    "google.colab.auth.authenticate_user": EnvironmentCall(
        "authenticates through Google Colab",
        "use application default credentials",
        platform="colab",
    ),
    "kaggle_secrets.UserSecretsClient": EnvironmentCall(
        "reads Kaggle secrets", "read secrets from environment variables", platform="kaggle"
    ),
    "sys.path.append": EnvironmentCall(
        "makes imports depend on one machine's folders",
        "install the code as a package (`pip install -e .`)",
        path_argument=0,
    ),
    "sys.path.insert": EnvironmentCall(
        "makes imports depend on one machine's folders",
        "install the code as a package (`pip install -e .`)",
        path_argument=1,
    ),
    "site.addsitedir": EnvironmentCall(
        "makes imports depend on one machine's folders",
        "install the code as a package (`pip install -e .`)",
        path_argument=0,
    ),
    "os.chdir": EnvironmentCall(
        "moves the kernel into one machine's folder",
        "use paths relative to the project",
        path_argument=0,
    ),
}
CHANGE_DIRECTORY = ENVIRONMENT_CALLS["os.chdir"]
DATABRICKS = EnvironmentCall(
    "uses Databricks utilities",
    "keep them in a Databricks-only entry point",
    platform="databricks",
)
