"""Configuration is parsed strictly and production settings refuse unsafe values."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from dimos.env import env_bool, env_int, env_list


def test_env_bool_is_strict() -> None:
    assert env_bool("X", False, {"X": "true"}) is True
    assert env_bool("X", True, {"X": "0"}) is False
    assert env_bool("X", True, {}) is True
    with pytest.raises(ImproperlyConfigured):
        env_bool("X", False, {"X": "ture"})


def test_env_int_and_list() -> None:
    assert env_int("N", 3, {"N": "7"}) == 7
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 3, {"N": "seven"})
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 3, {"N": "-1"}, minimum=0)
    assert env_list("L", [], {"L": "a, b,,c"}) == ["a", "b", "c"]


def _check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DEBUG", "DIMOS_", "SECRET", "DATABASE", "DJANGO_ALLOW_ASYNC"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        env={**base, "DJANGO_SETTINGS_MODULE": "dimos.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "a-real-production-secret-with-entropy-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "serres.dimos.gr",
    "DATABASE_URL": "postgres://dimos@127.0.0.1:5432/dimos",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}


def test_production_settings_pass_check_deploy() -> None:
    result = _check(PRODUCTION, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_a_per_process_cache() -> None:
    result = _check({**PRODUCTION, "CACHE_URL": "locmem://"}, "--deploy")
    assert result.returncode != 0
    assert "dimos.E004" in result.stdout + result.stderr


def test_demo_switch_is_refused_without_debug() -> None:
    result = _check({**PRODUCTION, "DIMOS_DEMO": "true"})
    assert result.returncode != 0
    assert "DIMOS_DEMO=true requires DEBUG=true" in result.stderr


def test_missing_secret_key_is_refused_in_production() -> None:
    result = _check({k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"})
    assert result.returncode != 0 and "SECRET_KEY is required" in result.stderr


def test_bare_manage_py_runs_with_development_settings() -> None:
    result = _check({})
    assert result.returncode == 0, result.stderr
    assert "development settings" in result.stderr


def test_a_malformed_metrics_network_is_refused_at_start() -> None:
    result = _check({**PRODUCTION, "METRICS_ALLOWED_NETWORKS": "10.0.0.0/8,not-a-network"})
    assert result.returncode != 0 and "METRICS_ALLOWED_NETWORKS" in result.stderr
