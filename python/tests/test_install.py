"""The package as users get it: installed with pip into a fresh virtual
environment, and the README's example script run as written.

    /usr/bin/python3 -m unittest discover -s python/tests
"""

import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import unittest

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(PACKAGE, "..", "README.md")


def readme_script():
    """The first Python block of the README's "Recording your own model"."""
    with open(README, encoding="utf-8") as f:
        text = f.read()
    section = text[text.index("## Recording your own model\n"):]
    start = section.index("```python\n") + len("```python\n")
    return section[start:section.index("```", start)]


def quiet_env(**extra):
    """The environment for a child Python: no NEURON GUI, no pip chatter,
    no network."""
    env = dict(os.environ, NEURON_MODULE_OPTIONS="-nogui", PIP_DISABLE_PIP_VERSION_CHECK="1",
               PIP_NO_INPUT="1", PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    env.update(extra)
    return env


class InstallTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.work = os.path.join(self.dir.name, "work")
        os.mkdir(self.work)
        with open(os.path.join(self.work, "model.py"), "w", encoding="utf-8") as f:
            f.write(readme_script())

    def tearDown(self):
        self.dir.cleanup()

    def run_checked(self, args, **kwargs):
        done = subprocess.run(args, capture_output=True, text=True, **kwargs)
        self.assertEqual(done.returncode, 0, "%s\n%s%s" % (args, done.stdout, done.stderr))
        return done

    def check_recording(self, stderr):
        """The README's model wrote cell.pickle: two sections that fire."""
        self.assertIn("calling h.define_shape()", stderr)
        with open(os.path.join(self.work, "cell.pickle"), "rb") as f:
            soma, dend = pickle.load(f)
        self.assertEqual((soma["name"], dend["name"], dend["parent"]), ("soma", "dend", 0))
        self.assertEqual(len(soma["Voltage"]), 200)
        self.assertGreater(max(v.max() for v in soma["Voltage"].values()), 0)

    def test_readme_script_runs_as_written(self):
        done = self.run_checked([sys.executable, "model.py"], cwd=self.work,
                                env=quiet_env(PYTHONPATH=PACKAGE))
        self.check_recording(done.stderr)

    def test_installs_into_a_fresh_virtual_environment(self):
        env = os.path.join(self.dir.name, "env")
        self.run_checked([sys.executable, "-m", "venv", "--system-site-packages", env])
        python = os.path.join(env, "bin", "python")
        if subprocess.run([python, "-c", "import neuron, numpy"], env=quiet_env(),
                          capture_output=True).returncode != 0:
            self.skipTest("NEURON and numpy are not visible from a virtual environment "
                          "of %s (they are not installed system-wide)" % sys.executable)
        # Install from a copy, so that the build leaves nothing in the source.
        source = os.path.join(self.dir.name, "source")
        shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns(
            "tests", "build", "*.egg-info", "__pycache__"))
        self.run_checked([python, "-m", "pip", "install", "--quiet", "--no-build-isolation",
                          "--no-index", source], env=quiet_env())
        shutil.rmtree(source)

        where = self.run_checked(
            [python, "-c", "import spikeframes_recorder; print(spikeframes_recorder.__file__)"],
            cwd=self.work, env=quiet_env()).stdout.strip()
        self.assertTrue(where.startswith(env + os.sep), where)
        done = self.run_checked([python, "model.py"], cwd=self.work, env=quiet_env())
        self.check_recording(done.stderr)


if __name__ == "__main__":
    unittest.main()
