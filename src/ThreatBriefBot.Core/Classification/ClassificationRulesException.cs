namespace ThreatBriefBot.Core.Classification;

/// <summary>A rules file is unreadable or inconsistent; the message names the file and the part that is wrong.</summary>
public sealed class ClassificationRulesException(string message, Exception? innerException = null)
    : Exception(message, innerException);
