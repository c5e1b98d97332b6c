using ThreatBriefBot.Chat.Discord.Interactions;

namespace ThreatBriefBot.Chat.Discord.Tests.Interactions;

public sealed class PermissionTests
{
    [Theory]
    [InlineData("16", true)]
    [InlineData("8", true)]
    [InlineData("2147483647", true)]
    [InlineData("36893488147419103248", true)] // 2^65 + 16: wider than 64 bits, as Discord warns it may become
    [InlineData("0", false)]
    [InlineData("32", false)] // Manage Server alone is not Manage Channels
    [InlineData("36893488147419103232", false)]
    [InlineData("-16", false)]
    [InlineData(null, false)]
    public void MayManage_Permissions_ManageChannelsOrAdministrator(string? permissions, bool expected) =>
        Assert.Equal(expected, DiscordInteractionHandler.MayManage(permissions));
}
