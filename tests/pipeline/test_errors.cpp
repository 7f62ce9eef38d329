// Errors keep their type when a layer rewrites their message (Error::rethrow_with): the
// Python bindings and the CLI tell errors apart by type.
#include "landel/core/error.h"
#include "landel/io/error.h"
#include "landel/pipeline/config.h"

#include <gtest/gtest.h>

#include <typeinfo>

namespace {

template<class E>
void expect_rethrow_keeps_type()
{
    const E original("the old message");
    const landel::Error& as_base = original;
    try {
        as_base.rethrow_with("the new message");
    } catch (const landel::Error& e) {
        EXPECT_EQ(typeid(e), typeid(E));
        EXPECT_STREQ(e.what(), "the new message");
        return;
    }
    ADD_FAILURE() << "rethrow_with did not throw a landel::Error";
}

} // namespace

TEST(ErrorTypes, RethrowWithKeepsTheDynamicType)
{
    expect_rethrow_keeps_type<landel::Error>();
    expect_rethrow_keeps_type<landel::InvalidArgument>();
    expect_rethrow_keeps_type<landel::GridMismatch>();
    expect_rethrow_keeps_type<landel::GeometryError>();
    expect_rethrow_keeps_type<landel::io::IoError>();
    expect_rethrow_keeps_type<landel::pipeline::ConfigError>();
}
