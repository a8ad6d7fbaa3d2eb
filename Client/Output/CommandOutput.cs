namespace AgentCluster.Client.Output;

/// <summary>Writes a command's result to stdout either as one JSON document or for a human.</summary>
internal sealed class CommandOutput(TextWriter stdout, bool json)
{
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
}
