/*
 * c-word-count: a textpipe stage written in C against textpipe_plugin.h, to show the ABI
 * needs nothing from Rust. It counts the whitespace-separated words of each document into
 * ext["c-word-count"] = {"words": N}.
 *
 * It reads the document JSON without a JSON library: the host writes "id" first and "text"
 * second, so the first `"text":"` is the text's key, and the string runs to the next quote
 * that is not escaped. Escapes \n \t \r count as spaces.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "textpipe_plugin.h"

static const char KIND[] = "c-word-count";

static size_t count_words(const uint8_t *json, size_t len) {
    static const char key[] = "\"text\":\"";
    const size_t key_len = sizeof(key) - 1;
    size_t i = 0, words = 0;
    int in_word = 0;
    for (; i + key_len <= len; i++) {
        if (memcmp(json + i, key, key_len) == 0) break;
    }
    for (i += key_len; i < len && json[i] != '"'; i++) {
        int space = json[i] == ' ';
        if (json[i] == '\\' && i + 1 < len) {
            i++;
            space = json[i] == 'n' || json[i] == 't' || json[i] == 'r';
        }
        if (space) {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            words++;
        }
    }
    return words;
}

/* The stage has no state; any non-null pointer will do as its handle. */
static int handle_token;

static int32_t create(TpStr config, TpStr base_dir, void **handle, const TpErrorSink *errors) {
    (void)base_dir;
    int empty = (config.len == 4 && memcmp(config.ptr, "null", 4) == 0) ||
                (config.len == 2 && memcmp(config.ptr, "{}", 2) == 0);
    if (!empty) {
        static const char message[] = "c-word-count takes no options";
        errors->write(errors->context, (const uint8_t *)message, sizeof(message) - 1);
        return TEXTPIPE_STATUS_ERROR;
    }
    *handle = &handle_token;
    return TEXTPIPE_STATUS_OK;
}

static int32_t process_batch(void *handle, const TpStr *docs, size_t count,
                             const TpResultSink *sink) {
    (void)handle;
    for (size_t i = 0; i < count; i++) {
        char patch[96];
        int n = snprintf(patch, sizeof(patch), "{\"ext\":{\"%s\":{\"words\":%zu}}}", KIND,
                         count_words(docs[i].ptr, docs[i].len));
        sink->write_patch(sink->context, i, (const uint8_t *)patch, (size_t)n);
    }
    return TEXTPIPE_STATUS_OK;
}

static void destroy(void *handle) { (void)handle; }

static const TpStageDescriptor STAGE = {
    sizeof(TpStageDescriptor),
    TP_STR("c-word-count"),
    TP_STR("Counts whitespace-separated words into ext.c-word-count (written in C)"),
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
    sizeof(TpPluginDescriptor), TP_STR("c-word-count"), TP_STR("1.0.0"), 1, STAGES,
};

uint32_t textpipe_plugin_abi_version(void) { return TEXTPIPE_PLUGIN_ABI_VERSION; }

const TpPluginDescriptor *textpipe_plugin_descriptor(void) { return &PLUGIN; }
