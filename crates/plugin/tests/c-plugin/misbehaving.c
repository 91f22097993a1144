/*
 * A deliberately broken plugin for the host's error tests.
 *
 * Stage "c-broken-json" answers a truncated JSON patch for every document whose JSON contains
 * BROKEN, "{}" for the others, and writes a span past the end of the text for documents
 * containing BADSPAN. Built with -DWRONG_ABI_VERSION=N it claims ABI version N instead.
 */
#include <string.h>

#include "textpipe_plugin.h"

#ifndef WRONG_ABI_VERSION
#define WRONG_ABI_VERSION TEXTPIPE_PLUGIN_ABI_VERSION
#endif

static int contains(TpStr doc, const char *needle) {
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= doc.len; i++) {
        if (memcmp(doc.ptr + i, needle, n) == 0) return 1;
    }
    return 0;
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
        if (contains(docs[i], "BROKEN")) {
            answer(sink, i, "{\"ext\": {\"c-broken-json\": ");
        } else if (contains(docs[i], "BADSPAN")) {
            answer(sink, i, "{\"sentences\": [{\"start\": 0, \"end\": 100000}]}");
        } else {
            answer(sink, i, "{}");
        }
    }
    return TEXTPIPE_STATUS_OK;
}

static void destroy(void *handle) { (void)handle; }

static const TpStageDescriptor STAGE = {
    sizeof(TpStageDescriptor),
    TP_STR("c-broken-json"),
    TP_STR("Answers invalid JSON or broken spans on marked documents (tests only)"),
    TP_STR("{\"type\":\"object\",\"properties\":{}}"),
    TP_STR("{}"),
    TP_STR("[]"),
    TP_STR("[\"sentences\"]"),
    create,
    process_batch,
    destroy,
};

static const TpStageDescriptor *const STAGES[] = {&STAGE};

static const TpPluginDescriptor PLUGIN = {
    sizeof(TpPluginDescriptor), TP_STR("misbehaving"), TP_STR("0.0.1"), 1, STAGES,
};

uint32_t textpipe_plugin_abi_version(void) { return WRONG_ABI_VERSION; }

const TpPluginDescriptor *textpipe_plugin_descriptor(void) { return &PLUGIN; }
