namespace AgentCluster.Client.Output;

/// <summary>Writes a command's result to stdout either as one JSON document or for a human.</summary>
internal sealed class CommandOutput(TextWriter stdout, bool json)
{
    public bool Json => json;

    /// <summary>Where streamed human output goes (see <see cref="StreamingTable"/>).</summary>
    public TextWriter Text => stdout;

    public void Write<T>(T document, Action<T, TextWriter> human)
    {
        ArgumentNullException.ThrowIfNull(human);
        if (json)
        {
            stdout.WriteLine(JsonOutput.Serialize(document));
        }
        else
        {
            human(document, stdout);
        }
    }

    /// <summary>One object of a stream as one line of JSON (JSON Lines), whatever <c>--json</c> says.</summary>
    public void WriteJsonLine<T>(T document) => stdout.WriteLine(JsonOutput.SerializeLine(document));
}
