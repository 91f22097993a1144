/*
 * A C plugin whose batch fails as a whole, for the host's narrowing tests.
 *
 * Stage "c-batch-failure" answers "{}" for each document in order until it meets one whose
 * JSON contains CRASH; there it stops and returns TEXTPIPE_STATUS_PANIC, leaving that document
 * and every later one of the batch without a result, as a C plugin that hits an unexpected
 * failure half-way through would.
 */
#include <string.h>

#include "textpipe_plugin.h"

static int contains(TpStr doc, const char *needle) {
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= doc.len; i++) {
        if (memcmp(doc.ptr + i, needle, n) == 0) return 1;
    }
    return 0;
}

static const char PATCH[] = "{\"ext\": {\"c-batch-failure\": true}}";

static int handle_token;

static int32_t create(TpStr config, TpStr base_dir, void **handle, const TpErrorSink *errors) {
    (void)config; (void)base_dir; (void)errors;
    *handle = &handle_token;
    return TEXTPIPE_STATUS_OK;
}

static int32_t process_batch(void *handle, const TpStr *docs, size_t count,
                             const TpResultSink *sink) {
    (void)handle;
    for (size_t i = 0; i < count; i++) {
        if (contains(docs[i], "CRASH")) return TEXTPIPE_STATUS_PANIC;
        sink->write_patch(sink->context, i, (const uint8_t *)PATCH, sizeof(PATCH) - 1);
    }
    return TEXTPIPE_STATUS_OK;
}

static void destroy(void *handle) { (void)handle; }

static const TpStageDescriptor STAGE = {
    sizeof(TpStageDescriptor),
    TP_STR("c-batch-failure"),
    TP_STR("Fails its whole batch on a document containing CRASH (tests only)"),
    TP_STR("{\"type\":\"object\",\"properties\":{}}"),
    TP_STR("{}"),
    TP_STR("[]"),
    TP_STR("[]"),
    create,
    process_batch,
    destroy,
};

static const TpStageDescriptor *const STAGES[] = {&STAGE};

static const TpPluginDescriptor PLUGIN = {
    sizeof(TpPluginDescriptor), TP_STR("batch-failure"), TP_STR("0.0.1"), 1, STAGES,
};

uint32_t textpipe_plugin_abi_version(void) { return TEXTPIPE_PLUGIN_ABI_VERSION; }

const TpPluginDescriptor *textpipe_plugin_descriptor(void) { return &PLUGIN; }
