namespace ThreatBriefBot.Scheduling;

/// <summary>The "Scheduling" section.</summary>
internal sealed class ScheduleOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>Poll every feed once as the worker starts, besides its cron, so a first run has items at once.</summary>
    public bool PollOnStart { get; set; } = true;
}
