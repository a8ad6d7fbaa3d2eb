namespace AgentCluster.Tests.Integration.Readme;

/// <summary>One <c>```sh</c> block of a README section; a browser step is a line <c># in the browser: …</c> in it.</summary>
public sealed record ReadmeStep(string Script)
{
    public const string BrowserMarker = "# in the browser:";

    public bool InBrowser => Script.Split('\n').Any(l => l.TrimStart().StartsWith(BrowserMarker, StringComparison.Ordinal));
}

/// <summary>The shell blocks of a README section, in order, exactly as the reader sees them.</summary>
public static class ReadmeSection
{
    public static IReadOnlyList<ReadmeStep> Steps(string markdown, string heading)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = Array.IndexOf(lines, heading);
        if (start < 0)
            throw new InvalidOperationException($"README.md has no section '{heading}'");
        var steps = new List<ReadmeStep>();
        List<string>? block = null;
        for (var i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            if (block is null && lines[i] == "```sh")
                block = [];
            else if (block is not null && lines[i] == "```")
            {
                steps.Add(new ReadmeStep(string.Join('\n', block) + "\n"));
                block = null;
            }
            else
                block?.Add(lines[i]);
        }
        return block is null ? steps : throw new InvalidOperationException($"an unclosed ```sh block in '{heading}'");
    }
}
