// The outputs' labels in another language (core/translation.h).

#include "landel/core/translation.h"

#include <gtest/gtest.h>

using landel::Translation;

namespace {

Translation dutch()
{
    return Translation("nl",
                       { { "Summary", "Samenvatting" },
                         { "Hedge (clipped)", "Knip- en scheerheg" },
                         { "Gap to {}", "Opgave {}" },
                         { "Gap to the {} target (ha)", "Opgave {} (ha)" },
                         { "{}: added by {} (ha)", "{}: erbij tot {} (ha)" },
                         { "{} (ha)", "{} (ha)" } });
}

} // namespace

TEST(Translation, EnglishIsEveryLabelAsWritten)
{
    const Translation english;
    EXPECT_EQ(english("Summary"), "Summary");
    EXPECT_TRUE(english.missing().empty());
}

TEST(Translation, WholeLabelsAndPatternsWithTranslatedParts)
{
    const Translation nl = dutch();
    EXPECT_EQ(nl("Summary"), "Samenvatting");
    EXPECT_EQ(nl("Gap to the 2030 target (ha)"), "Opgave 2030 (ha)");
    // A varying part the table has is translated too (a type's name); one it lacks is data.
    EXPECT_EQ(nl("Hedge (clipped): added by 2050 (ha)"), "Knip- en scheerheg: erbij tot 2050 (ha)");
    EXPECT_EQ(nl("Wood: added by 2050 (ha)"), "Wood: erbij tot 2050 (ha)");
    // The most specific pattern wins; a hole holds at least one character.
    EXPECT_EQ(nl("hedge (ha)"), "hedge (ha)");
    EXPECT_EQ(nl(" (ha)"), " (ha)");
    EXPECT_TRUE(nl.missing() == std::vector<std::string>{ " (ha)" });
}

TEST(Translation, MissingLabelsAreNotedAndKnownLeavesDataAlone)
{
    const Translation nl = dutch();
    EXPECT_EQ(nl("Areas"), "Areas");
    EXPECT_EQ(nl.known("Boer Jansen"), "Boer Jansen");
    EXPECT_EQ(nl.known("Summary"), "Samenvatting");
    EXPECT_TRUE(nl.missing() == std::vector<std::string>{ "Areas" });
}
