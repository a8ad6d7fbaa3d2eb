using AgentCluster.ComputerProtocol;

namespace AgentCluster.Grains.Computer;

/// <summary>What an action answered: a screenshot's PNG, or the result of any other action.</summary>
public sealed record ComputerReply(ComputerResult? Result, byte[]? Png);
