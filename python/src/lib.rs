//! `hilok._hilok`: the Python binding of the `hilok` crate.
//!
//! Thin by design: every locking decision is the Rust crate's. This module
//! converts arguments, maps [`hilok::Error`] to the Python exception classes
//! defined in `hilok/_types.py`, detaches from the interpreter (releases the
//! GIL) while a call waits, and on the main thread waits in slices so that a
//! pending signal (Ctrl-C) interrupts the wait.

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use hilok::{Error, Flags, Guard, HiLok as Manager};
use pyo3::exceptions::{PyTypeError, PyUnicodeDecodeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyInt, PyModule, PyString, PyType};

/// How long one wait slice lasts on the main thread, between two checks for
/// pending signals. Only the main thread runs Python signal handlers, so
/// other threads wait in one piece (and keep their place in the queue).
const SIGNAL_SLICE: Duration = Duration::from_millis(50);

/// The Python module holding the flag enum and the exception classes.
const TYPES_MODULE: &str = "hilok._types";

// ---------------------------------------------------------------------------
// Errors

/// `hilok._types`, imported once.
fn types_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static TYPES: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    TYPES
        .get_or_try_init(py, || Ok::<_, PyErr>(py.import(TYPES_MODULE)?.unbind()))
        .map(|m| m.bind(py))
}

/// The Python exception class for a Rust error.
fn error_class_name(e: Error) -> &'static str {
    match e {
        Error::WouldBlock => "HiLokWouldBlockError",
        Error::Timeout => "HiLokTimeoutError",
        Error::WouldDeadlock => "HiLokWouldDeadlockError",
        Error::InvalidPath(_) => "HiLokInvalidPathError",
        Error::NotHeld => "HiLokNotHeldError",
        Error::WrongThread => "HiLokWrongThreadError",
        Error::InvalidRename => "HiLokInvalidRenameError",
        _ => "HiLokError",
    }
}

/// The Python exception for `e`; `what` describes the operation.
#[cold]
fn to_py_err(py: Python<'_>, e: Error, what: &str) -> PyErr {
    let class = types_module(py)
        .and_then(|m| m.getattr(error_class_name(e)))
        .and_then(|c| c.cast_into::<PyType>().map_err(PyErr::from));
    match class {
        Ok(class) => PyErr::from_type(class, format!("{what}: {e}")),
        Err(import_failure) => import_failure,
    }
}

// ---------------------------------------------------------------------------
// Arguments

/// Calls `f` with the UTF-8 text of a `str` (or UTF-8 `bytes`) path.
fn with_path<R>(
    arg: &Bound<'_, PyAny>,
    name: &str,
    f: impl FnOnce(&str) -> PyResult<R>,
) -> PyResult<R> {
    if let Ok(s) = arg.cast::<PyString>() {
        // `PyUnicode_AsUTF8AndSize` is not in the 3.9 limited API, so the
        // text is encoded into a temporary bytes object and borrowed from it.
        let bytes = s.encode_utf8()?;
        // SAFETY: the bytes are CPython's UTF-8 encoding of a str, which is
        // valid UTF-8 (encoding fails above on lone surrogates).
        let text = unsafe { std::str::from_utf8_unchecked(bytes.as_bytes()) };
        f(text)
    } else if let Ok(b) = arg.cast::<PyBytes>() {
        let raw = b.as_bytes();
        match std::str::from_utf8(raw) {
            Ok(text) => f(text),
            Err(e) => Err(PyUnicodeDecodeError::new_err_from_utf8(arg.py(), raw, e)),
        }
    } else {
        Err(PyTypeError::new_err(format!(
            "{name} must be str or bytes, not {}",
            type_name(arg)
        )))
    }
}

fn type_name(arg: &Bound<'_, PyAny>) -> String {
    arg.get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
}

/// `block`: a bool (ints are accepted as truth values, as the original's
/// bindings did); `None` means the default, `True`.
fn parse_block(block: Option<&Bound<'_, PyAny>>) -> PyResult<bool> {
    match block {
        None => Ok(true),
        Some(b) if b.is_none() => Ok(true),
        Some(b) => {
            if let Ok(b) = b.cast::<PyBool>() {
                Ok(b.is_true())
            } else if b.cast::<PyInt>().is_ok() {
                b.is_truthy()
            } else {
                Err(PyTypeError::new_err(format!(
                    "block must be a bool, not {}",
                    type_name(b)
                )))
            }
        }
    }
}

/// How long a call may wait.
#[derive(Clone, Copy, Debug)]
enum Wait {
    /// Not at all (`block=False`, or `timeout=0`).
    Try,
    /// Until granted (`timeout=None`, or a timeout too large to represent).
    Forever,
    /// One deadline for the whole call.
    For(Duration),
}

fn parse_wait(block: Option<&Bound<'_, PyAny>>, timeout: Option<f64>) -> PyResult<Wait> {
    let block = parse_block(block)?;
    if let Some(t) = timeout {
        if t.is_nan() || t < 0.0 {
            return Err(PyValueError::new_err(format!(
                "timeout must be None or a number >= 0, not {t}"
            )));
        }
    }
    Ok(match timeout {
        _ if !block => Wait::Try,
        None => Wait::Forever,
        Some(0.0) => Wait::Try,
        Some(t) => Duration::try_from_secs_f64(t).map_or(Wait::Forever, Wait::For),
    })
}

fn parse_flags(flags: Option<&Bound<'_, PyAny>>) -> PyResult<Flags> {
    let Some(flags) = flags else {
        return Ok(Flags::RECURSIVE);
    };
    if flags.cast::<PyInt>().is_err() {
        return Err(PyTypeError::new_err(format!(
            "flags must be an int or HiLokFlags, not {}",
            type_name(flags)
        )));
    }
    let value: i128 = flags.extract()?;
    u32::try_from(value)
        .ok()
        .and_then(Flags::from_bits)
        .ok_or_else(|| {
            PyValueError::new_err(format!(
                "invalid flags {value}: expected a recursion mode (0-3) or-ed with \
                 LOOSE_READ_UNLOCK (8) and/or LOOSE_WRITE_UNLOCK (16)"
            ))
        })
}

fn parse_sep(sep: Option<&Bound<'_, PyAny>>) -> PyResult<char> {
    let Some(sep) = sep else {
        return Ok('/');
    };
    let Ok(s) = sep.cast::<PyString>() else {
        return Err(PyTypeError::new_err(format!(
            "sep must be a str of length 1, not {}",
            type_name(sep)
        )));
    };
    let bytes = s.encode_utf8()?;
    let text = std::str::from_utf8(bytes.as_bytes()).unwrap_or_default();
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(PyValueError::new_err(format!(
            "sep must be exactly one character, not {text:?}"
        ))),
    }
}

// ---------------------------------------------------------------------------
// Waiting

/// Whether the calling thread is Python's main thread (the only one that
/// runs signal handlers). Asked only on the slow path.
fn on_main_thread(py: Python<'_>) -> PyResult<bool> {
    let threading = py.import("threading")?;
    let main = threading.call_method0("main_thread")?.getattr("ident")?;
    let current = threading.call_method0("get_ident")?;
    main.eq(current)
}

/// Runs an operation that may have to wait.
///
/// `attempt` is tried first without waiting and without detaching (the
/// common, uncontended case). If it would block and the call may wait,
/// `wait(None)` (wait forever) or `wait(Some(d))` (wait at most `d`) is run
/// with the GIL released. On the main thread the wait is cut into slices of
/// [`SIGNAL_SLICE`] and pending signals are handled between slices, so that
/// Ctrl-C raises `KeyboardInterrupt` in the waiting thread; a slice that
/// times out holds nothing, so nothing is left held then.
fn run<T: Send>(
    py: Python<'_>,
    how: Wait,
    attempt: impl FnOnce() -> Result<T, Error>,
    wait: impl Fn(Option<Duration>) -> Result<T, Error> + Send + Sync,
) -> PyResult<Result<T, Error>> {
    let first = attempt();
    let limit = match (how, &first) {
        (Wait::Forever, Err(Error::WouldBlock)) => None,
        (Wait::For(d), Err(Error::WouldBlock)) => Some(d),
        _ => return Ok(first),
    };
    if !on_main_thread(py)? {
        return Ok(py.detach(|| wait(limit)));
    }
    let start = Instant::now();
    let deadline = limit.and_then(|d| start.checked_add(d));
    loop {
        let slice = match deadline {
            None => SIGNAL_SLICE,
            Some(d) => SIGNAL_SLICE.min(d.saturating_duration_since(Instant::now())),
        };
        match py.detach(|| wait(Some(slice))) {
            Err(Error::Timeout) => {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    return Ok(Err(Error::Timeout));
                }
                py.check_signals()?;
            }
            other => return Ok(other),
        }
    }
}

// ---------------------------------------------------------------------------
// Classes

/// A hierarchical lock manager.
///
/// ``sep`` is the one-character path separator; empty components are
/// ignored, so ``"/a//b/"`` is the path ``a`` then ``b``. ``flags`` is a
/// recursion mode, optionally or-ed with loose-release bits (see
/// ``HiLokFlags``). Locks are owned by the calling thread.
#[pyclass(module = "hilok", name = "HiLok", frozen, subclass)]
struct PyHiLok {
    manager: Manager,
}

#[pymethods]
impl PyHiLok {
    #[new]
    #[pyo3(
        signature = (sep = None, flags = None),
        text_signature = "(sep='/', flags=HiLokFlags.RECURSIVE)"
    )]
    fn new(sep: Option<&Bound<'_, PyAny>>, flags: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let sep = parse_sep(sep)?;
        let flags = parse_flags(flags)?;
        Ok(PyHiLok {
            manager: Manager::builder().separator(sep).flags(flags).build(),
        })
    }

    /// Takes a shared (read) lock on every prefix of ``path``.
    ///
    /// ``block=False`` or ``timeout=0`` fails at once with
    /// ``HiLokWouldBlockError`` if the lock is not free; ``timeout=None``
    /// (the default) waits until granted; ``timeout > 0`` waits at most that
    /// many seconds for the whole path, then raises ``HiLokTimeoutError``.
    /// Returns a ``HiHandle``; on failure nothing is held.
    #[pyo3(
        signature = (path, block = None, timeout = None),
        text_signature = "($self, path, block=True, timeout=None)"
    )]
    fn read(
        &self,
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        block: Option<&Bound<'_, PyAny>>,
        timeout: Option<f64>,
    ) -> PyResult<HiHandle> {
        self.lock(py, path, false, block, timeout)
    }

    /// Takes shared locks on the proper prefixes of ``path`` and an exclusive
    /// (write) lock on ``path`` itself, which excludes every lock at or below
    /// it. ``block`` and ``timeout`` as for ``read``. Returns a ``HiHandle``.
    #[pyo3(
        signature = (path, block = None, timeout = None),
        text_signature = "($self, path, block=True, timeout=None)"
    )]
    fn write(
        &self,
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        block: Option<&Bound<'_, PyAny>>,
        timeout: Option<f64>,
    ) -> PyResult<HiHandle> {
        self.lock(py, path, true, block, timeout)
    }

    /// Moves every lock held at or below ``from_path`` to ``to_path``.
    ///
    /// Handles that held ``from_path`` (or a path below it) now hold the
    /// moved path. Waits until the destination can take the locks without
    /// conflict (``block`` and ``timeout`` as for ``read``; on failure nothing
    /// changes). Raises ``HiLokNotHeldError`` if nothing at or below
    /// ``from_path`` is held and ``HiLokInvalidRenameError`` if ``to_path`` is
    /// strictly below ``from_path``. The caller need not hold anything.
    #[pyo3(
        signature = (from_path, to_path, block = None, timeout = None),
        text_signature = "($self, from_path, to_path, block=True, timeout=None)"
    )]
    fn rename(
        &self,
        py: Python<'_>,
        from_path: &Bound<'_, PyAny>,
        to_path: &Bound<'_, PyAny>,
        block: Option<&Bound<'_, PyAny>>,
        timeout: Option<f64>,
    ) -> PyResult<()> {
        let how = parse_wait(block, timeout)?;
        let m = &self.manager;
        with_path(from_path, "from_path", |from| {
            with_path(to_path, "to_path", |to| {
                run(
                    py,
                    how,
                    || m.try_rename(from, to),
                    |limit| match limit {
                        None => m.rename(from, to),
                        Some(d) => m.rename_for(from, to, d),
                    },
                )?
                .map_err(|e| to_py_err(py, e, &format!("rename {from:?} to {to:?}")))
            })
        })
    }

    /// The number of distinct path prefixes now held, awaited or being
    /// renamed (0 when nothing is held).
    fn node_count(&self) -> usize {
        self.manager.node_count()
    }

    /// The path separator.
    #[getter]
    fn sep(&self) -> String {
        self.manager.separator().to_string()
    }

    /// The manager's flags, as a ``HiLokFlags``.
    #[getter]
    fn flags<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        types_module(py)?
            .getattr("HiLokFlags")?
            .call1((self.manager.flags().bits(),))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let sep = PyString::new(py, &self.sep()).repr()?;
        let bits = self.manager.flags().bits();
        let name = match bits {
            0 => "STRICT",
            1 => "RECURSIVE_WRITE",
            2 => "RECURSIVE_ONEWAY",
            3 => "RECURSIVE",
            8 => "LOOSE_READ_UNLOCK",
            16 => "LOOSE_WRITE_UNLOCK",
            24 => "LOOSE_UNLOCK",
            _ => return Ok(format!("HiLok(sep={sep}, flags=HiLokFlags({bits}))")),
        };
        Ok(format!("HiLok(sep={sep}, flags=HiLokFlags.{name})"))
    }
}

impl PyHiLok {
    fn lock(
        &self,
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        write: bool,
        block: Option<&Bound<'_, PyAny>>,
        timeout: Option<f64>,
    ) -> PyResult<HiHandle> {
        let how = parse_wait(block, timeout)?;
        let m = &self.manager;
        with_path(path, "path", |p| {
            let guard = if write {
                run(
                    py,
                    how,
                    || m.try_write(p),
                    |limit| match limit {
                        None => m.write(p),
                        Some(d) => m.write_for(p, d),
                    },
                )?
            } else {
                run(
                    py,
                    how,
                    || m.try_read(p),
                    |limit| match limit {
                        None => m.read(p),
                        Some(d) => m.read_for(p, d),
                    },
                )?
            };
            let kind = if write { "write" } else { "read" };
            guard
                .map(|g| HiHandle::new(g, write))
                .map_err(|e| to_py_err(py, e, &format!("{kind} {p:?}")))
        })
    }
}

/// A held lock, returned by ``HiLok.read`` and ``HiLok.write``.
///
/// ``release()`` releases it (a second call does nothing); so do leaving a
/// ``with`` block and the handle being garbage-collected. A handle may be
/// released from another thread only if the manager has the matching
/// loose-release flag.
#[pyclass(module = "hilok", frozen)]
struct HiHandle {
    guard: Mutex<Option<Guard>>,
    write: bool,
}

impl HiHandle {
    fn new(guard: Guard, write: bool) -> Self {
        HiHandle {
            guard: Mutex::new(Some(guard)),
            write,
        }
    }

    fn slot(&self) -> MutexGuard<'_, Option<Guard>> {
        // No code path panics while holding it; recover the data regardless.
        self.guard.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[pymethods]
impl HiHandle {
    /// Releases the lock. Idempotent: releasing a released handle does
    /// nothing. From a thread other than the owner, without the matching
    /// loose-release flag, raises ``HiLokWrongThreadError`` and the lock
    /// stays held.
    fn release(&self, py: Python<'_>) -> PyResult<()> {
        let mut slot = self.slot();
        let Some(guard) = slot.as_mut() else {
            return Ok(());
        };
        match guard.release() {
            Ok(()) | Err(Error::NotHeld) => {
                *slot = None;
                Ok(())
            }
            Err(e) => {
                let what = format!("release {:?}", guard.path().unwrap_or_default());
                Err(to_py_err(py, e, &what))
            }
        }
    }

    /// Whether the handle still holds its lock.
    #[getter]
    fn held(&self) -> bool {
        self.slot().as_ref().is_some_and(Guard::is_held)
    }

    /// The path the handle holds now, joined with the separator (a rename
    /// moves it); ``None`` once released.
    #[getter]
    fn path(&self) -> Option<String> {
        self.slot().as_ref().and_then(Guard::path)
    }

    /// ``"read"`` or ``"write"``.
    #[getter]
    fn mode(&self) -> &'static str {
        if self.write {
            "write"
        } else {
            "read"
        }
    }

    /// Returns the handle itself (the lock is already held).
    fn __enter__<'py>(slf: &Bound<'py, Self>) -> Bound<'py, Self> {
        slf.clone()
    }

    /// Releases the lock; exceptions propagate.
    #[pyo3(signature = (_exc_type = None, _exc = None, _tb = None))]
    fn __exit__(
        &self,
        py: Python<'_>,
        _exc_type: Option<&Bound<'_, PyAny>>,
        _exc: Option<&Bound<'_, PyAny>>,
        _tb: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        self.release(py)?;
        Ok(false)
    }

    fn __repr__(&self) -> String {
        match self.path() {
            Some(p) => format!("<HiHandle {} {p:?}>", self.mode()),
            None => format!("<HiHandle {} released>", self.mode()),
        }
    }
}

/// The native part of the ``hilok`` package; import ``hilok`` instead.
#[pymodule]
fn _hilok(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyHiLok>()?;
    m.add_class::<HiHandle>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
