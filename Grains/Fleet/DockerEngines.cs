using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentCluster.Grains.Fleet;

/// <summary>
/// The silo-wide set of engine clients, one per endpoint: grains come and go, the clients stay.
/// </summary>
public sealed class DockerEngines(IOptions<FleetOptions> options, ILoggerFactory loggers) : IDockerEngines, IDisposable
{
    private readonly Dictionary<DockerEndpoint, DockerEngine> _engines = [];
    private readonly Lock _lock = new();

    public IDockerEngine Get(DockerEndpoint endpoint)
    {
        lock (_lock)
        {
            if (!_engines.TryGetValue(endpoint, out var engine))
            {
                engine = new DockerEngine(endpoint, options.Value, loggers.CreateLogger<DockerEngine>());
                _engines.Add(endpoint, engine);
            }
            return engine;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var engine in _engines.Values)
                engine.Dispose();
            _engines.Clear();
        }
    }
}
