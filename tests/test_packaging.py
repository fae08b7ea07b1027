import shutil
import subprocess
import sys
import zipfile


def test_packaging_wheel_carries_data_the_installed_app_needs(tmp_path, project_root):
    # build from a copy of the tracked files, so the build writes nothing into the checkout
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=project_root, capture_output=True,
                             check=True).stdout.decode().split("\0")
    source = tmp_path / "source"
    for name in filter(None, tracked):
        if (project_root / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(project_root / name, source / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                            "--no-build-isolation", "--wheel-dir", str(tmp_path / "dist"),
                            str(source)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("participatie-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    share = "participatie-0.1.0.data/data/share/participatie/"
    for needed in (share + "forms/knelpunt.yaml",
                   share + "translations/nl/LC_MESSAGES/messages.mo",
                   share + "translations/en/LC_MESSAGES/messages.mo",
                   "participatie/migrations/versions/0001_initial_schema.py",
                   "participatie/seed/regions.yaml", "participatie/templates/base.html",
                   "participatie/static/site.css", "nlp/__init__.py"):
        assert needed in names, needed
