namespace AgentCluster.Tests.Unit.Client;

/// <summary>A fresh working directory, so no test picks up a real ./data/admin.key.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "agentctl-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void WriteAdminKey(string contents)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "data"));
        File.WriteAllText(System.IO.Path.Combine(Path, "data", "admin.key"), contents);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
