/*
 * A C plugin that passes the friendly sample document but not a hostile one, for the tests of
 * `plugin check`. Stage "c-fragile" answers "{}", except:
 *   - built with -DLOOP_ON_EMPTY, it never returns on a document whose text is empty (it
 *     sleeps in its loop, so the thread left behind by the timeout does not eat a core);
 *   - built with -DSPLIT_MULTI_BYTE, it answers a one-byte sentence at the start of a text
 *     that begins with a multi-byte character, splitting that character.
 * Built with -DREADS='"[...]"' it declares those fields in `reads`; else it leaves `reads`
 * out, as a plugin written before the field existed.
 */
#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include <time.h>

#include "textpipe_plugin.h"

/* The first byte of the document's text, or -1 for an empty text (the host writes "id"
 * first and "text" second, in compact JSON). */
static int first_text_byte(TpStr doc) {
    static const char key[] = "\"text\":\"";
    size_t n = sizeof(key) - 1;
    for (size_t i = 0; i + n < doc.len; i++) {
        if (memcmp(doc.ptr + i, key, n) == 0) {
            return doc.ptr[i + n] == '"' ? -1 : doc.ptr[i + n];
        }
    }
    return -1;
}

static int handle_token;

static int32_t create(TpStr config, TpStr base_dir, void **handle, const TpErrorSink *errors) {
    (void)config; (void)base_dir; (void)errors;
    *handle = &handle_token;
    return TEXTPIPE_STATUS_OK;
}

static void answer(const TpResultSink *sink, size_t index, const char *json) {
    sink->write_patch(sink->context, index, (const uint8_t *)json, strlen(json));
}

static int32_t process_batch(void *handle, const TpStr *docs, size_t count,
                             const TpResultSink *sink) {
    (void)handle;
    for (size_t i = 0; i < count; i++) {
        int first = first_text_byte(docs[i]);
#ifdef LOOP_ON_EMPTY
        volatile int spinning = 1;
        while (first == -1 && spinning) {
            struct timespec pause = {0, 50 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
#endif
#ifdef SPLIT_MULTI_BYTE
        if (first >= 0x80) {
            answer(sink, i, "{\"sentences\": [{\"start\": 0, \"end\": 1}]}");
            continue;
        }
#endif
        (void)first;
        answer(sink, i, "{}");
    }
    return TEXTPIPE_STATUS_OK;
}

static void destroy(void *handle) { (void)handle; }

static const TpStageDescriptor STAGE = {
    sizeof(TpStageDescriptor),
    TP_STR("c-fragile"),
    TP_STR("Breaks on one hostile document (tests only)"),
    TP_STR("{\"type\":\"object\",\"properties\":{}}"),
    TP_STR("{}"),
    TP_STR("[]"),
    TP_STR("[\"sentences\"]"),
    create,
    process_batch,
    destroy,
#ifdef READS
    TP_STR(READS),
#endif
};

static const TpStageDescriptor *const STAGES[] = {&STAGE};

static const TpPluginDescriptor PLUGIN = {
    sizeof(TpPluginDescriptor), TP_STR("fragile"), TP_STR("0.0.1"), 1, STAGES,
};

uint32_t textpipe_plugin_abi_version(void) { return TEXTPIPE_PLUGIN_ABI_VERSION; }

const TpPluginDescriptor *textpipe_plugin_descriptor(void) { return &PLUGIN; }
