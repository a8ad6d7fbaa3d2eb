namespace AgentCluster.Client.Sdk;

/// <summary>The vault's active key after a rotation, and how many secrets were re-encrypted under it.</summary>
public sealed record KeyRotation(string KeyId, int Reencrypted);
