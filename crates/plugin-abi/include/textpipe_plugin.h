/*
 * textpipe_plugin.h: the C ABI of textpipe plugins (stages built as shared libraries).
 *
 * This header is the contract for plugins written in languages other than Rust; Rust stages
 * use the textpipe-plugin SDK, which produces exactly these exports. It mirrors the Rust crate
 * textpipe-plugin-abi, whose tests check that the version and symbol names here agree.
 *
 * A plugin library exports two functions:
 *
 *   uint32_t textpipe_plugin_abi_version(void);
 *       The ABI version the plugin was built against (TEXTPIPE_PLUGIN_ABI_VERSION). The host
 *       calls it before anything else and refuses to go on if it differs from its own.
 *
 *   const TpPluginDescriptor *textpipe_plugin_descriptor(void);
 *       The plugin's table of contents, valid for the life of the library (the host never
 *       unloads a plugin). May return NULL if the plugin cannot describe itself.
 *
 * Ownership: nothing allocated on one side is freed on the other.
 *   - Strings passed to the plugin (TpStr) are borrowed for the duration of the call.
 *   - Strings in the descriptors are owned by the plugin and must live as long as the library.
 *   - Results and errors go back through host-owned callbacks (TpResultSink, TpErrorSink),
 *     which copy the bytes before returning; the plugin may free or reuse its buffer at once.
 *   - A stage handle made by create() is owned by the plugin and released by destroy().
 *
 * Threads: process_batch() may be called concurrently from several threads with the same
 * handle, so a stage must be thread-safe (keep per-call state on the stack).
 *
 * Failures: a plugin must never let an exception, a longjmp or a Rust panic cross these
 * functions. Return TEXTPIPE_STATUS_PANIC if a call failed unexpectedly: the host keeps the
 * results reported before the failure and calls process_batch() again with each document
 * left without a result alone, so only a document that fails on its own becomes an error
 * record naming the plugin, and the run goes on.
 *
 * Documents: each document is one JSON object in textpipe's output-contract form
 * ({"id", "text", "meta", "html", "sentences", "entities", "summary", "removed", "ext"}),
 * holding "id", "text" and the fields the stage declares in "reads"; the host always writes
 * "id" first and "text" second. Spans are UTF-8 byte offsets into "text".
 *
 * Results: for each document index, call write_patch() with a JSON object whose top-level keys
 * replace the document's fields: "sentences", "entities", "summary", "removed", "html" ("null"
 * removes the layer), "meta", and "text" (only for stages that declare they provide "text").
 * "ext" is merged key by key ("null" removes a key). "{}" means nothing changed. "id" may be
 * present but must not change. Or call write_error() with a message. The host checks every
 * patch (valid JSON, known keys, spans inside the text on char boundaries, sorted) and turns
 * a bad one into an error for that document only.
 *
 * Growth: both descriptors start with their own size. Later ABI versions only append fields,
 * so a host reads only the fields that fit in the size the plugin reports.
 */
#ifndef TEXTPIPE_PLUGIN_H
#define TEXTPIPE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TEXTPIPE_PLUGIN_ABI_VERSION 1u

#define TEXTPIPE_STATUS_OK 0
#define TEXTPIPE_STATUS_ERROR 1
#define TEXTPIPE_STATUS_PANIC 2

/* Borrowed UTF-8 bytes, not NUL-terminated. ptr may be NULL when len is 0. */
typedef struct TpStr {
    const uint8_t *ptr;
    size_t len;
} TpStr;

/* Receives error messages from create(): plain text, or a JSON array of
 * {"path": ["key", ...], "message": "...", "suggestion": "..."} objects. */
typedef struct TpErrorSink {
    void *context;
    void (*write)(void *context, const uint8_t *message, size_t len);
} TpErrorSink;

/* Receives the result of each document of a batch: a patch or an error. */
typedef struct TpResultSink {
    void *context;
    void (*write_patch)(void *context, size_t index, const uint8_t *json, size_t len);
    void (*write_error)(void *context, size_t index, const uint8_t *message, size_t len);
} TpResultSink;

typedef struct TpStageDescriptor {
    size_t size;          /* sizeof(TpStageDescriptor) as the plugin was built */
    TpStr kind;           /* name in pipeline files, e.g. "word-count" */
    TpStr summary;        /* one line saying what the stage does */
    TpStr config_schema;  /* JSON Schema of the "with" object */
    TpStr example_config; /* an example "with" object that create() accepts */
    TpStr requires;       /* JSON array of layer names needed, e.g. ["sentences"] */
    TpStr provides;       /* JSON array of layer names written; "text" if it rewrites text */
    /* Builds a stage from config (JSON, "null" for none); relative paths resolve against
     * base_dir. Stores the handle in *handle and returns TEXTPIPE_STATUS_OK, or writes
     * messages to errors and returns TEXTPIPE_STATUS_ERROR. */
    int32_t (*create)(TpStr config, TpStr base_dir, void **handle, const TpErrorSink *errors);
    /* Processes docs[0..count) and reports each index through sink. */
    int32_t (*process_batch)(void *handle, const TpStr *docs, size_t count,
                             const TpResultSink *sink);
    /* Releases a handle; called once, when no other call on it runs. */
    void (*destroy)(void *handle);
    /* JSON array of the document fields read besides "id" and "text" (always sent): any of
     * "lang", "meta", "html", "sentences", "entities", "summary", "removed", "ext",
     * "skipped"; ["*"] for the whole document. The host sends only these, so never write back
     * whole a field you did not read. Appended to the first table: left out (zero, or a
     * smaller size) it means the whole document. */
    TpStr reads;
} TpStageDescriptor;

typedef struct TpPluginDescriptor {
    size_t size;          /* sizeof(TpPluginDescriptor) as the plugin was built */
    TpStr name;           /* the plugin's name */
    TpStr version;        /* the plugin's own version */
    size_t stage_count;
    const TpStageDescriptor *const *stages;
} TpPluginDescriptor;

uint32_t textpipe_plugin_abi_version(void);
const TpPluginDescriptor *textpipe_plugin_descriptor(void);

/* Helper for static descriptor strings: TP_STR("literal"). */
#define TP_STR(literal) { (const uint8_t *)(literal), sizeof(literal) - 1 }

#ifdef __cplusplus
}
#endif

#endif /* TEXTPIPE_PLUGIN_H */
