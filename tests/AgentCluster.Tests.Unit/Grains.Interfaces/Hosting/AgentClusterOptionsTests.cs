using AgentCluster.Grains.Hosting;

namespace AgentCluster.Tests.Unit.Grains.Interfaces.Hosting;

public sealed class AgentClusterOptionsTests
{
    [Fact]
    public void The_own_ports_are_every_listening_port_and_postgres_only_when_it_is_the_store()
    {
        var sqlite = new AgentClusterOptions();
        Assert.Equal([11111, 30000, 5080, 5081, 8443], sqlite.OwnPorts());

        var postgres = new AgentClusterOptions { Storage = new StorageOptions { Provider = "postgres", ConnectionString = "Host=db;Port=6543;Username=x" } };
        Assert.Equal([11111, 30000, 5080, 5081, 8443, 6543], postgres.OwnPorts());
    }

    [Theory]
    [InlineData("Host=db;Username=x", 5432)]
    [InlineData("host=db;port=7777", 7777)]
    [InlineData("Host=db;Port=notaport", 5432)]
    [InlineData("this is = not ; = a connection string=", 5432)]
    public void The_postgres_port_is_the_connection_strings_or_the_default(string connectionString, int port) =>
        Assert.Equal(port, new StorageOptions { Provider = "postgres", ConnectionString = connectionString }.PostgresPort());
}
