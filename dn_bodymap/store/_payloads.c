/* The audit recipes' payloads built in C: an optional speed-up of store/audit_batch.py (issue #14).
 *
 * `db check` hashes every record's row and every audit entry: per row it writes the row as
 * ``json.dumps([[name, value], ...], ensure_ascii=False)`` and per entry ``prev_hash +
 * json.dumps([seq, ...])``. In Python that text costs ~4 µs a 27-column mark however it is built
 * (store/audit_batch.py); here it costs a fraction of that. The bytes are the same: text escaped
 * as json's ``encode_basestring`` escapes it, ints as ``int.__repr__``, finite floats as
 * ``float.__repr__``, NaN and the infinities as json spells them, None as null, bytes as quoted
 * lower-case hex. A value of any other type makes the call return None, and the caller builds that
 * batch in Python; tests/store/test_payloads_native.py holds both against each other.
 *
 * Built by hatch_build.py when the installing computer has a C compiler; without it the package
 * runs the Python code alone, at the Python code's speed.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <string.h>

/* Bumped with any change to what the module returns; audit_batch.py uses a module of its own
 * version only (a stale build in a source tree is ignored, not trusted). */
#define PAYLOADS_VERSION 1

typedef struct {
    char *data;
    Py_ssize_t size;
    Py_ssize_t capacity;
} Buffer;

static int buffer_reserve(Buffer *b, Py_ssize_t extra) {
    if (b->size + extra <= b->capacity) {
        return 0;
    }
    Py_ssize_t capacity = b->capacity ? b->capacity : 1024;
    while (capacity < b->size + extra) {
        capacity *= 2;
    }
    char *data = PyMem_Realloc(b->data, (size_t)capacity);
    if (data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->data = data;
    b->capacity = capacity;
    return 0;
}

static int buffer_add(Buffer *b, const char *text, Py_ssize_t n) {
    if (buffer_reserve(b, n) < 0) {
        return -1;
    }
    memcpy(b->data + b->size, text, (size_t)n);
    b->size += n;
    return 0;
}

static const char HEX[] = "0123456789abcdef";

/* UTF-8 text escaped as json.encoder.encode_basestring does (ensure_ascii=False), quoted. */
static int add_json_text(Buffer *b, const char *s, Py_ssize_t n) {
    /* At most six bytes per input byte (\u00XX), plus the quotes. */
    if (buffer_reserve(b, 6 * n + 2) < 0) {
        return -1;
    }
    char *out = b->data + b->size;
    *out++ = '"';
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *out++ = (char)c;
            continue;
        }
        *out++ = '\\';
        switch (c) {
            case '"': *out++ = '"'; break;
            case '\\': *out++ = '\\'; break;
            case '\b': *out++ = 'b'; break;
            case '\f': *out++ = 'f'; break;
            case '\n': *out++ = 'n'; break;
            case '\r': *out++ = 'r'; break;
            case '\t': *out++ = 't'; break;
            default:
                *out++ = 'u';
                *out++ = '0';
                *out++ = '0';
                *out++ = HEX[(c >> 4) & 0xf];
                *out++ = HEX[c & 0xf];
        }
    }
    *out++ = '"';
    b->size = out - b->data;
    return 0;
}

/* 1: added; 0: a value this module does not spell (the caller falls back); -1: an error. */
static int add_value(Buffer *b, PyObject *value, int raw) {
    if (PyUnicode_CheckExact(value)) {
        Py_ssize_t n;
        const char *s = PyUnicode_AsUTF8AndSize(value, &n);
        if (s == NULL) {  /* a lone surrogate: the Python code says what it says of it */
            PyErr_Clear();
            return 0;
        }
        if (raw) {
            return buffer_add(b, s, n) < 0 ? -1 : 1;
        }
        return add_json_text(b, s, n) < 0 ? -1 : 1;
    }
    if (raw) {
        return 0;
    }
    if (value == Py_None) {
        return buffer_add(b, "null", 4) < 0 ? -1 : 1;
    }
    if (PyLong_CheckExact(value)) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (v == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (!overflow) {
            char digits[32];
            int n = snprintf(digits, sizeof digits, "%lld", v);
            return buffer_add(b, digits, n) < 0 ? -1 : 1;
        }
        PyObject *text = PyObject_Repr(value);
        if (text == NULL) {
            return -1;
        }
        Py_ssize_t n;
        const char *s = PyUnicode_AsUTF8AndSize(text, &n);
        int added = s == NULL ? -1 : buffer_add(b, s, n);
        Py_DECREF(text);
        return added < 0 ? -1 : 1;
    }
    if (PyFloat_CheckExact(value)) {
        double v = PyFloat_AS_DOUBLE(value);
        if (isnan(v)) {
            return buffer_add(b, "NaN", 3) < 0 ? -1 : 1;
        }
        if (isinf(v)) {
            return (v > 0 ? buffer_add(b, "Infinity", 8) : buffer_add(b, "-Infinity", 9)) < 0 ? -1 : 1;
        }
        if (v == floor(v) && fabs(v) < 1e16 && !(v == 0.0 && signbit(v))) {
            /* A whole number below 1e16: repr writes its digits and ".0" (the shortest
             * round-trip digits are the integer's own), without dtoa's cost. */
            char digits[32];
            int n = snprintf(digits, sizeof digits, "%lld.0", (long long)v);
            return buffer_add(b, digits, n) < 0 ? -1 : 1;
        }
        /* float.__repr__ exactly: CPython's float_repr makes this very call. */
        char *s = PyOS_double_to_string(v, 'r', 0, Py_DTSF_ADD_DOT_0, NULL);
        if (s == NULL) {
            return -1;
        }
        int added = buffer_add(b, s, (Py_ssize_t)strlen(s));
        PyMem_Free(s);
        return added < 0 ? -1 : 1;
    }
    if (PyBytes_CheckExact(value)) {
        Py_ssize_t n = PyBytes_GET_SIZE(value);
        const unsigned char *s = (const unsigned char *)PyBytes_AS_STRING(value);
        if (buffer_reserve(b, 2 * n + 2) < 0) {
            return -1;
        }
        char *out = b->data + b->size;
        *out++ = '"';
        for (Py_ssize_t i = 0; i < n; i++) {
            *out++ = HEX[s[i] >> 4];
            *out++ = HEX[s[i] & 0xf];
        }
        *out++ = '"';
        b->size = out - b->data;
        return 1;
    }
    return 0;
}

/* payloads(rows, order, prefixes, raw, end) -> list[bytes] | None
 *
 * For each row: prefixes[k] then row[order[k]] for each k (JSON-spelled; as it is when raw[k] is
 * true, which must then be text), then end; UTF-8. None when some value is of a type not spelled
 * here, or a row is too short. */
static PyObject *payloads(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *rows, *order, *prefixes, *raw, *end;
    if (!PyArg_ParseTuple(args, "OO!O!O!U", &rows, &PyTuple_Type, &order, &PyTuple_Type, &prefixes,
                          &PyTuple_Type, &raw, &end)) {
        return NULL;
    }
    Py_ssize_t width = PyTuple_GET_SIZE(order);
    if (PyTuple_GET_SIZE(prefixes) != width || PyTuple_GET_SIZE(raw) != width) {
        PyErr_SetString(PyExc_ValueError, "order, prefixes and raw differ in length");
        return NULL;
    }
    PyObject *rows_seq = PySequence_Fast(rows, "rows must be a sequence");
    if (rows_seq == NULL) {
        return NULL;
    }
    Py_ssize_t count = PySequence_Fast_GET_SIZE(rows_seq);
    Py_ssize_t *columns = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(width ? width : 1));
    const char **prefix_text = PyMem_Malloc(sizeof(char *) * (size_t)(width ? width : 1));
    Py_ssize_t *prefix_size = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(width ? width : 1));
    int *is_raw = PyMem_Malloc(sizeof(int) * (size_t)(width ? width : 1));
    PyObject *result = NULL;
    Buffer b = {NULL, 0, 0};
    if (columns == NULL || prefix_text == NULL || prefix_size == NULL || is_raw == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < width; k++) {
        columns[k] = PyLong_AsSsize_t(PyTuple_GET_ITEM(order, k));
        if (columns[k] == -1 && PyErr_Occurred()) {
            goto done;
        }
        if (columns[k] < 0) {
            PyErr_SetString(PyExc_ValueError, "a column index is negative");
            goto done;
        }
        PyObject *prefix = PyTuple_GET_ITEM(prefixes, k);
        if (!PyUnicode_Check(prefix)) {
            PyErr_SetString(PyExc_TypeError, "prefixes must be text");
            goto done;
        }
        prefix_text[k] = PyUnicode_AsUTF8AndSize(prefix, &prefix_size[k]);
        if (prefix_text[k] == NULL) {
            goto done;
        }
        is_raw[k] = PyObject_IsTrue(PyTuple_GET_ITEM(raw, k));
        if (is_raw[k] < 0) {
            goto done;
        }
    }
    Py_ssize_t end_size;
    const char *end_text = PyUnicode_AsUTF8AndSize(end, &end_size);
    if (end_text == NULL) {
        goto done;
    }
    PyObject *list = PyList_New(count);
    if (list == NULL) {
        goto done;
    }
    for (Py_ssize_t r = 0; r < count; r++) {
        PyObject *row = PySequence_Fast_GET_ITEM(rows_seq, r);
        if (!PyTuple_Check(row) && !PyList_Check(row)) {
            Py_DECREF(list);
            Py_INCREF(Py_None);
            result = Py_None;
            goto done;
        }
        Py_ssize_t length = PySequence_Fast_GET_SIZE(row);
        PyObject **items = PySequence_Fast_ITEMS(row);
        b.size = 0;
        for (Py_ssize_t k = 0; k < width; k++) {
            if (columns[k] >= length) {
                Py_DECREF(list);
                Py_INCREF(Py_None);
                result = Py_None;
                goto done;
            }
            if (buffer_add(&b, prefix_text[k], prefix_size[k]) < 0) {
                Py_DECREF(list);
                goto done;
            }
            int added = add_value(&b, items[columns[k]], is_raw[k]);
            if (added <= 0) {
                Py_DECREF(list);
                if (added == 0) {
                    Py_INCREF(Py_None);
                    result = Py_None;
                }
                goto done;
            }
        }
        if (buffer_add(&b, end_text, end_size) < 0) {
            Py_DECREF(list);
            goto done;
        }
        PyObject *payload = PyBytes_FromStringAndSize(b.data ? b.data : "", b.size);
        if (payload == NULL) {
            Py_DECREF(list);
            goto done;
        }
        PyList_SET_ITEM(list, r, payload);
    }
    result = list;
done:
    PyMem_Free(b.data);
    PyMem_Free(columns);
    PyMem_Free(prefix_text);
    PyMem_Free(prefix_size);
    PyMem_Free(is_raw);
    Py_DECREF(rows_seq);
    return result;
}

static PyMethodDef methods[] = {
    {"payloads", payloads, METH_VARARGS,
     "payloads(rows, order, prefixes, raw, end) -> list[bytes] | None: each row's audit payload."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_payloads", "The audit recipes' payloads built in C (optional).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__payloads(void) {
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddIntConstant(m, "VERSION", PAYLOADS_VERSION) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
