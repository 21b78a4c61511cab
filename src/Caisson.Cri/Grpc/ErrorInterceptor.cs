using System.Diagnostics;
using Caisson.Core.Errors;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Caisson.Cri.Grpc;

/// <summary>
/// The one place where domain errors become gRPC statuses, and where every RPC is logged with its duration
/// and outcome.
/// </summary>
public sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await continuation(request, context).ConfigureAwait(false);
            Log.Finished(logger, context.Method, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception e)
        {
            throw Translate(e, context, started);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            Log.Finished(logger, context.Method, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e)
        {
            throw Translate(e, context, started);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await continuation(requestStream, context).ConfigureAwait(false);
            Log.Finished(logger, context.Method, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception e)
        {
            throw Translate(e, context, started);
        }
    }

    private RpcException Translate(Exception e, ServerCallContext context, long started)
    {
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var (code, message) = ToStatus(e, context);
        if (code is StatusCode.Internal or StatusCode.Unknown)
            Log.FailedInternal(logger, context.Method, elapsed, message, e);
        else
            Log.Failed(logger, context.Method, elapsed, code, message);
        return e as RpcException ?? new RpcException(new Status(code, message));
    }

    public static (StatusCode Code, string Message) ToStatus(Exception e, ServerCallContext? context) => e switch
    {
        RpcException rpc => (rpc.StatusCode, rpc.Status.Detail),
        CaissonException c => (c.Kind switch
        {
            ErrorKind.NotFound => StatusCode.NotFound,
            ErrorKind.AlreadyExists => StatusCode.AlreadyExists,
            ErrorKind.InvalidArgument => StatusCode.InvalidArgument,
            ErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
            ErrorKind.Unavailable => StatusCode.Unavailable,
            ErrorKind.Unauthenticated => StatusCode.Unauthenticated,
            ErrorKind.PermissionDenied => StatusCode.PermissionDenied,
            ErrorKind.ResourceExhausted => StatusCode.ResourceExhausted,
            ErrorKind.Canceled => StatusCode.Cancelled,
            ErrorKind.DeadlineExceeded => StatusCode.DeadlineExceeded,
            _ => StatusCode.Internal,
        }, c.Message),
        OperationCanceledException when context?.CancellationToken.IsCancellationRequested == true =>
            (context.Deadline < DateTime.UtcNow ? StatusCode.DeadlineExceeded : StatusCode.Cancelled, "request canceled by the client"),
        OperationCanceledException => (StatusCode.Cancelled, "operation canceled"),
        _ => (StatusCode.Internal, e.Message),
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "{Method} finished in {Milliseconds:F1} ms")]
        public static partial void Finished(ILogger logger, string method, double milliseconds);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "{Method} failed after {Milliseconds:F1} ms: {Code}: {Message}")]
        public static partial void Failed(ILogger logger, string method, double milliseconds, StatusCode code, string message);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "{Method} failed after {Milliseconds:F1} ms: {Message}")]
        public static partial void FailedInternal(ILogger logger, string method, double milliseconds, string message, Exception exception);
    }
}
