/* A shared library that is not a textpipe plugin: it exports no textpipe symbol. */
int add_numbers(int a, int b) { return a + b; }
