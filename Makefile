# copydesk build, test and install. GNU make; see README.md.
#
#   make                 build copydesk/core.so for Lua 5.4 (build/5.4/)
#   make LUA=5.1|5.3|jit the same for another ABI (jit = LuaJIT 2.1)
#   make deps            install missing Debian packages
#   make test            every suite; last line "N passed, N failed"
#   make demo            the editorial workflow and a served preview link
#   make bench           the peer benchmarks of bench/ (BENCH=slug|link|... for one)
#   make fuzz SECONDS=N  each libFuzzer harness of tests/fuzz/ for N seconds
#                        (FUZZ=utf8 for one; tests/fuzz/run.sh)
#   make install         through LuaRocks (offline config, system lua-cjson)
#   make clean

LUA ?= 5.4
ifeq ($(LUA),jit)
LUA_INC ?= /usr/include/luajit-2.1
LUA_BIN ?= luajit
ROCKS_LUA := 5.1
else
LUA_INC ?= /usr/include/lua$(LUA)
LUA_BIN ?= lua$(LUA)
ROCKS_LUA := $(LUA)
endif

BUILD := build/$(LUA)
SO := $(BUILD)/copydesk/core.so

CFLAGS ?= -O2 -g
WARN := -std=c99 -Wall -Wextra -Werror -pedantic
CD_CFLAGS := $(WARN) -fPIC -fvisibility=hidden -D_POSIX_C_SOURCE=200809L -Iinclude -Iplugin
LIBS := -lsodium

# The binding is the only file that may see Lua's headers.
BINDING := plugin/lcopydesk.c
CORE_SRCS := $(filter-out $(BINDING),$(sort $(wildcard plugin/*.c)))
CORE_OBJS := $(patsubst plugin/%.c,$(BUILD)/obj/%.o,$(CORE_SRCS))
HEADERS := $(wildcard include/*.h plugin/*.h)

.PHONY: all deps test demo install clean fuzz fuzz-build bench

all: $(SO)

deps:
	@sh tools/deps.sh

$(BUILD)/obj/%.o: plugin/%.c $(HEADERS) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(CD_CFLAGS) -c $< -o $@

$(BUILD)/obj/lcopydesk.o: $(BINDING) $(HEADERS) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(CD_CFLAGS) -I$(LUA_INC) -c $< -o $@

$(SO): $(CORE_OBJS) $(BUILD)/obj/lcopydesk.o
	@mkdir -p $(@D)
	$(CC) -shared $(LDFLAGS) -o $@ $^ $(LIBS)

test: deps
	@for v in 5.1 5.3 5.4 jit; do $(MAKE) --no-print-directory LUA=$$v all || exit 1; done
	@bash tests/run.sh

demo: deps
	@bash tools/demo.sh

bench: deps
	@sh tools/deps.sh bench
	@for v in 5.4 jit; do $(MAKE) --no-print-directory LUA=$$v all || exit 1; done
	@bash bench/run.sh $(BENCH)

# libFuzzer harnesses (tests/fuzz/fuzz_*.c) against the core, without the
# binding, under ASan and UBSan. Each runs for SECONDS on a copy of its seeds
# (build/fuzz/corpus-<topic>/); tests/fuzz/run.sh fails on any finding.
FUZZ_CC ?= clang
SECONDS ?= 60
FUZZ_SAN := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_DEFS := -std=c99 -D_POSIX_C_SOURCE=200809L -Iinclude -Iplugin -Itests/fuzz
FUZZ_OBJS := $(patsubst plugin/%.c,build/fuzz/obj/%.o,$(CORE_SRCS))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))

build/fuzz/obj/%.o: plugin/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(FUZZ_DEFS) -Wall -Wextra -c $< -o $@

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS) $(HEADERS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer $(FUZZ_DEFS) $(WARN) $< $(FUZZ_OBJS) -o $@ -lsodium

.SECONDARY: $(FUZZ_OBJS)

fuzz-build: $(FUZZ_BINS)

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	@bash tests/fuzz/run.sh $(SECONDS) $(FUZZ)

install: deps
	LUAROCKS_CONFIG=$(CURDIR)/rockspec/luarocks-offline.lua luarocks --lua-version $(ROCKS_LUA) \
		make rockspec/copydesk-scm-1.rockspec $(if $(filter jit,$(LUA)),LUA_INCDIR=$(LUA_INC))

clean:
	rm -rf build
