using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Tests.Chat;

public class ChatTextTests
{
    [Theory]
    [InlineData("a\r\n\tb", "a b")]
    [InlineData("  lead  and trail  ", "lead and trail")]
    [InlineData("zero\u200Bwidth", "zerowidth")]
    [InlineData("evil\u202Egnp.exe", "evilgnp.exe")]
    [InlineData(null, "")]
    public void Clean_Text_RemovesControlAndInvisibleCharacters(string? input, string expected) =>
        Assert.Equal(expected, ChatText.Clean(input));

    [Fact]
    public void Truncate_LongText_CutsAtAWordWithEllipsis()
    {
        var cut = ChatText.Truncate("one two three four five six", 14);

        Assert.Equal("one two three…", cut);
        Assert.True(cut.Length <= 14);
    }

    [Fact]
    public void Truncate_ShortText_Unchanged() => Assert.Equal("short", ChatText.Truncate("short", 10));
}
