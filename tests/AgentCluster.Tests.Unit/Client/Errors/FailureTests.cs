using AgentCluster.Client.Errors;
using Grpc.Core;

namespace AgentCluster.Tests.Unit.Client.Errors;

public sealed class FailureTests
{
    private const string Endpoint = "http://127.0.0.1:5080";

    [Theory]
    [InlineData(StatusCode.InvalidArgument, 2)]
    [InlineData(StatusCode.OutOfRange, 2)]
    [InlineData(StatusCode.Unauthenticated, 3)]
    [InlineData(StatusCode.PermissionDenied, 4)]
    [InlineData(StatusCode.NotFound, 5)]
    [InlineData(StatusCode.AlreadyExists, 6)]
    [InlineData(StatusCode.Unavailable, 7)]
    [InlineData(StatusCode.DeadlineExceeded, 8)]
    [InlineData(StatusCode.ResourceExhausted, 9)]
    [InlineData(StatusCode.FailedPrecondition, 10)]
    [InlineData(StatusCode.Cancelled, 130)]
    [InlineData(StatusCode.Internal, 1)]
    [InlineData(StatusCode.Unknown, 1)]
    [InlineData(StatusCode.Unimplemented, 1)]
    [InlineData(StatusCode.Aborted, 1)]
    [InlineData(StatusCode.DataLoss, 1)]
    public void Maps_each_status_to_its_exit_code(StatusCode status, int exitCode)
    {
        var failure = Failure.From(new RpcException(new Status(status, "detail")), Endpoint);

        Assert.Equal(exitCode, failure.ExitCode);
    }

    [Fact]
    public void The_distinct_exit_codes_are_distinct()
    {
        var codes = new[] { StatusCode.InvalidArgument, StatusCode.Unauthenticated, StatusCode.PermissionDenied, StatusCode.NotFound,
            StatusCode.AlreadyExists, StatusCode.Unavailable, StatusCode.DeadlineExceeded, StatusCode.ResourceExhausted,
            StatusCode.FailedPrecondition, StatusCode.Cancelled, StatusCode.Internal }.Select(Failure.ExitCodeOf);

        Assert.Equal(11, codes.Distinct().Count());
    }

    [Fact]
    public void Server_errors_read_status_then_detail()
    {
        var failure = Failure.From(new RpcException(new Status(StatusCode.NotFound, "tenant 'acme' not found")), Endpoint);

        Assert.Equal("agentctl: NotFound: tenant 'acme' not found", failure.Line);
    }

    [Fact]
    public void An_unreachable_server_names_the_endpoint()
    {
        var cause = new HttpRequestException("Connection refused (127.0.0.1:5080)", new IOException("Connection refused"));
        var failure = Failure.From(new RpcException(new Status(StatusCode.Unavailable, "Error starting gRPC call.", cause)), Endpoint);

        Assert.Equal(ExitCodes.Unavailable, failure.ExitCode);
        Assert.Equal("agentctl: cannot reach http://127.0.0.1:5080 (Connection refused)", failure.Line);
    }

    [Fact]
    public void A_server_that_says_unavailable_is_quoted_not_called_unreachable()
    {
        var failure = Failure.From(new RpcException(new Status(StatusCode.Unavailable, "no silo is active")), Endpoint);

        Assert.Equal("agentctl: Unavailable: no silo is active", failure.Line);
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        var failure = Failure.From(new UsageException("invalid duration 'x'"), Endpoint);

        Assert.Equal((2, "agentctl: invalid duration 'x'"), (failure.ExitCode, failure.Line));
    }

    [Fact]
    public void Cancellation_exits_130()
    {
        Assert.Equal(130, Failure.From(new OperationCanceledException(), Endpoint).ExitCode);
    }

    [Fact]
    public void Anything_else_exits_1()
    {
        Assert.Equal(1, Failure.From(new InvalidOperationException("boom"), Endpoint).ExitCode);
    }

    [Fact]
    public void A_multi_line_detail_becomes_one_line()
    {
        var failure = Failure.From(new RpcException(new Status(StatusCode.Internal, "first\r\nsecond\tthird")), Endpoint);

        Assert.Equal("agentctl: Internal: first second third", failure.Line);
    }
}
