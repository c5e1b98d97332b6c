namespace ThreatBriefBot.Benchmarks;

internal static class TextWriterExtensions
{
    /// <summary>Writes the line with invariant formatting, so the figures read the same on every machine.</summary>
    public static void Line(this TextWriter output, FormattableString text) => output.WriteLine(FormattableString.Invariant(text));
}
