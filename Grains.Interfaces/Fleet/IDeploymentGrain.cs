namespace AgentCluster.Grains.Fleet;

/// <summary>
/// This deployment's identity: a random id made once and kept in its storage, so every silo of
/// the deployment, and every restart of it, agrees on it, and no other deployment has it. Every
/// sandbox carries it (<see cref="SandboxLabels.Deployment"/>), so that a host's reconcile judges
/// only its own deployment's containers on an engine that another deployment shares.
/// </summary>
[Alias("AgentCluster.Grains.Fleet.IDeploymentGrain")]
public interface IDeploymentGrain : IGrainWithStringKey
{
    public const string Key = "deployment";

    [Alias("GetId")]
    Task<string> GetId();
}
