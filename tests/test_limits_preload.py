"""What gunicorn's master loads before it forks: the models warm, the garbage collector frozen."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = """
import gc, json, sys
import participatie.wsgi as wsgi
embed = sys.modules["nlp.embed"]
print(json.dumps({"frozen": gc.get_freeze_count(),
                  "intake": "intake" in wsgi.app.extensions,
                  "embedders": sorted(embed._cache)}))
"""


def _probe(tmp_path, **env: str) -> dict:  # noqa: ANN001
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PARTICIPATIE_")}
    environment.update({"PARTICIPATIE_DATABASE_URL": f"sqlite:///{tmp_path}/p.db",
                        "PARTICIPATIE_INSTANCE_PATH": str(tmp_path),
                        "PARTICIPATIE_REDACTION": "rules", "PARTICIPATIE_EMBEDDINGS": "lexical",
                        "HF_HUB_OFFLINE": "1", **env})
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            env=environment, timeout=300, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_limits_wsgi_warms_redactor_and_embedder_then_freezes_gc(tmp_path):
    found = _probe(tmp_path)
    assert found["intake"] is True
    assert found["embedders"] == ["lexical"]  # the first submission does not load it
    assert found["frozen"] > 10_000  # everything loaded so far is out of the collector's reach


def test_limits_wsgi_skips_the_embedder_when_themes_are_not_placed_at_intake(tmp_path):
    found = _probe(tmp_path, PARTICIPATIE_THEMES_AT_INTAKE="false")
    assert found["intake"] is True and found["embedders"] == []


def test_limits_gunicorn_config_preloads_and_freezes_before_each_fork():
    from participatie import gunicorn_conf

    assert gunicorn_conf.preload_app is True
    assert callable(gunicorn_conf.pre_fork) and callable(gunicorn_conf.on_starting)
