namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>
/// The screen a failed check last saw, kept for whoever reads the run afterwards: a colour in an error
/// message says that the page was wrong, the picture says why.
/// </summary>
public static class FailureScreens
{
    /// <summary>Writes <paramref name="png"/> under TestResults/failure-screens and returns its path ("none" without one).</summary>
    public static string Keep(string what, byte[] png)
    {
        if (png.Length == 0)
            return "none";
        var dir = Path.Combine(RepoPaths.Root, "TestResults", "failure-screens");
        Directory.CreateDirectory(dir);
        var name = new string([.. what.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        var path = Path.Combine(dir, $"{DateTime.UtcNow:HHmmss}-{name[..Math.Min(name.Length, 60)]}.png");
        File.WriteAllBytes(path, png);
        return path;
    }
}
