using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Forwarding.Facebook;
using Chatterfy.Postbacks.Forwarding.Http;
using Chatterfy.Postbacks.Forwarding.HttpPostback;
using Chatterfy.Postbacks.Forwarding.Reactions;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds conversion forwarding destinations (Facebook Conversions API, HTTP postbacks, plugins) to the postback SDK.</summary>
public static class ChatterfyForwardingBuilderExtensions
{
    private const string PipelineName = "forwarding";

    /// <summary>
    /// Adds forwarding with both built-in destinations, <c>facebook-capi</c> and <c>http-postback</c>, the outbound URL
    /// policy, the destination registry, the retry schedule, forwarding rules (<see cref="ForwardingRuleService"/>), the
    /// outbox written by ingestion and its dispatcher (<see cref="OutboxDispatcher"/>, run by a hosted service unless
    /// <see cref="OutboxDispatcherOptions.Enabled"/> is off). Safe to call more than once. Configure a destination's
    /// HTTP client further through <see cref="AddFacebookConversions"/> or <see cref="AddHttpPostbackForwarding"/>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddChatterfyPostbacks</c>.</param>
    /// <returns>The builder.</returns>
    public static IChatterfyPostbacksBuilder AddForwarding(this IChatterfyPostbacksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddFacebookConversions();
        builder.AddHttpPostbackForwarding();
        builder.AddSignedWebhookForwarding();
        return builder;
    }

    /// <summary>Adds forwarding as <see cref="AddForwarding(IChatterfyPostbacksBuilder)"/> does and configures its options in code.</summary>
    /// <param name="builder">The builder returned by <c>AddChatterfyPostbacks</c>.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IChatterfyPostbacksBuilder AddForwarding(this IChatterfyPostbacksBuilder builder, Action<ForwardingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddForwarding();
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Adds forwarding as <see cref="AddForwarding(IChatterfyPostbacksBuilder)"/> does and binds its options to a configuration section (by convention <c>Postbacks:Forwarding</c>).</summary>
    /// <param name="builder">The builder returned by <c>AddChatterfyPostbacks</c>.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <returns>The builder.</returns>
    public static IChatterfyPostbacksBuilder AddForwarding(this IChatterfyPostbacksBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        builder.AddForwarding();
        builder.Services.AddOptions<ForwardingOptions>().Bind(configuration);
        return builder;
    }

    /// <summary>Adds the Facebook Conversions API destination (<c>facebook-capi</c>) and its HTTP client. Safe to call more than once.</summary>
    /// <param name="builder">The builder returned by <c>AddChatterfyPostbacks</c>.</param>
    /// <returns>The destination's HTTP client builder, to configure further (keep its primary handler: see <see cref="OutboundUrlPolicy.CreateHandler()"/>).</returns>
    public static IHttpClientBuilder AddFacebookConversions(this IChatterfyPostbacksBuilder builder) =>
        builder.AddForwardingDestination<FacebookConversionsDestination>(FacebookConversionsDestination.DestinationId);

    /// <summary>Adds the HTTP postback destination (<c>http-postback</c>) and its HTTP client. Safe to call more than once.</summary>
    /// <param name="builder">The builder returned by <c>AddChatterfyPostbacks</c>.</param>
    /// <returns>The destination's HTTP client builder, to configure further (keep its primary handler: see <see cref="OutboundUrlPolicy.CreateHandler()"/>).</returns>
    public static IHttpClientBuilder AddHttpPostbackForwarding(this IChatterfyPostbacksBuilder builder) =>
        builder.AddForwardingDestination<HttpPostbackDestination>(HttpPostbackDestination.DestinationId);

    /// <summary>
    /// Registers the signed webhook destination (<c>signed-webhook</c>): conversions posted as JSON to a bot in another
    /// process, signed in the <c>Chatterfy-Signature</c> header. <c>AddForwarding</c> calls it.
    /// </summary>
    /// <param name="builder">The postbacks builder.</param>
    /// <returns>The builder of the destination's HTTP client.</returns>
    public static IHttpClientBuilder AddSignedWebhookForwarding(this IChatterfyPostbacksBuilder builder) =>
        builder.AddForwardingDestination<SignedWebhookDestination>(SignedWebhookDestination.DestinationId);

    /// <summary>
    /// Registers <typeparamref name="THandler"/> as an <see cref="IConversionHandler"/> (scoped: one per delivery) and the
    /// in-process destination <c>handler</c> that calls every registered handler when a rule with that destination matches.
    /// Safe to call more than once; each handler type is registered once.
    /// </summary>
    /// <typeparam name="THandler">The host's handler.</typeparam>
    /// <param name="builder">The postbacks builder.</param>
    /// <returns>The same builder.</returns>
    public static IChatterfyPostbacksBuilder AddConversionHandler<THandler>(this IChatterfyPostbacksBuilder builder)
        where THandler : class, IConversionHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddForwardingDestination<ConversionHandlerDestination>(ConversionHandlerDestination.DestinationId);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Scoped<IConversionHandler, THandler>());
        return builder;
    }

    /// <summary>
    /// Adds a forwarding destination and its named <see cref="HttpClient"/>
    /// (<see cref="ForwardingDestination.GetHttpClientName"/>): the outbound policy enforced at connect time, a per-attempt
    /// timeout and a circuit breaker per destination host, and no in-process retries (the outbox retries, so a
    /// non-idempotent POST is never sent twice by the client). Safe to call more than once.
    /// </summary>
    /// <typeparam name="TDestination">The destination type; a singleton.</typeparam>
    /// <param name="builder">The builder returned by <c>AddChatterfyPostbacks</c>.</param>
    /// <param name="destinationId">The destination's <see cref="ForwardingDestination.Id"/>; checked at startup.</param>
    /// <returns>The destination's HTTP client builder, to configure further.</returns>
    public static IHttpClientBuilder AddForwardingDestination<TDestination>(this IChatterfyPostbacksBuilder builder, string destinationId)
        where TDestination : ForwardingDestination
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(destinationId);
        var services = builder.Services;
        AddForwardingCore(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ForwardingDestination, TDestination>());

        var clientName = ForwardingDestination.GetHttpClientName(destinationId);
        var registration = new ForwardingClientRegistration(destinationId, typeof(TDestination));
        var registered = services.Any(d => d.ServiceType == typeof(ForwardingClientRegistration) && Equals(d.ImplementationInstance, registration));
        var clientBuilder = services.AddHttpClient(clientName);
        if (registered)
        {
            return clientBuilder;
        }

        services.AddSingleton(registration);
        clientBuilder
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundUrlPolicy>().CreateHandler(destinationId))
            .ConfigureHttpClient(client =>
            {
                // The resilience pipeline's per-attempt timeout governs; the client's own 100 s default would cut a longer one.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Chatterfy.Postbacks/" + typeof(ForwardingDestination).Assembly.GetName().Version?.ToString(3));
            })
            .AddHttpMessageHandler(sp => new OutboundRequestPolicyHandler(sp.GetRequiredService<OutboundUrlPolicy>(), destinationId))

            // The factory's own loggers print each request's full URL, at Information; a rendered postback URL can carry a key.
            // The logger is made here, not by DI: it takes the destination id, a value and not a service.
            .RemoveAllLoggers()
            .AddLogger(sp => new ForwardingHttpLogger(destinationId, sp.GetRequiredService<ILogger<ForwardingHttpLogger>>()));
        clientBuilder
            .AddResilienceHandler(PipelineName, static (pipeline, context) =>
            {
                context.EnableReloads<ForwardingOptions>();
                var options = context.GetOptions<ForwardingOptions>();

                // No retry strategy: the outbox owns retries, durably and with the destination's rules. The breaker sits
                // outside the attempt timeout so that timeouts count as failures of the host.
                pipeline
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        FailureRatio = options.CircuitBreakerFailureRatio,
                        MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                        SamplingDuration = options.CircuitBreakerSamplingDuration,
                        BreakDuration = options.CircuitBreakerBreakDuration,
                    })
                    .AddTimeout(options.AttemptTimeout);
            })
            .SelectPipelineByAuthority();
        return clientBuilder;
    }

    private static void AddForwardingCore(IServiceCollection services)
    {
        services.AddOptions<ForwardingOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ForwardingOptions>, ForwardingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ForwardingOptions>, KeyRingPersistenceValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, ForwardingHandlerFilter>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutboundUrlPolicy>();
        services.TryAddSingleton<IForwardingDestinationRegistry, ForwardingDestinationRegistry>();
        services.TryAddSingleton<RetrySchedule>();
        services.TryAddSingleton<RuleSecretProtector>();
        services.TryAddSingleton<ForwardingRuleCache>();

        // A factory: its constructor takes internal types (the rule cache, the secret protector), so it cannot be public.
        services.TryAddSingleton(sp => new ForwardingRuleService(
            sp.GetRequiredService<ForwardingRuleStore>(),
            sp.GetRequiredService<PostbackSetStore>(),
            sp.GetRequiredService<IForwardingDestinationRegistry>(),
            sp.GetRequiredService<ForwardingRuleCache>(),
            sp.GetRequiredService<RuleSecretProtector>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<OutboxService>();

        // Ingestion asks it for the outbox messages of each credited conversion, written in the conversion's transaction.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IngestionHook, ForwardingIngestionHook>());

        // A factory: its constructor takes internal types (the rule cache, the outbox signal), so it cannot be public.
        services.TryAddSingleton(sp => new OutboxDispatcher(
            sp.GetRequiredService<OutboxStore>(),
            sp.GetRequiredService<IngestStore>(),
            sp.GetRequiredService<ClickStore>(),
            sp.GetRequiredService<ForwardingRuleCache>(),
            sp.GetRequiredService<IForwardingDestinationRegistry>(),
            sp.GetRequiredService<RetrySchedule>(),
            sp.GetRequiredService<IOptionsMonitor<ForwardingOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<OutboxSignal>(),
            sp.GetService<IMeterFactory>(),
            sp.GetService<ILogger<OutboxDispatcher>>()));

        // Registered always, before the dispatcher; it returns at once when ProtectSecrets is off.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RuleSecretProtectionService>());

        // Registered always; it returns at once when Dispatcher:Enabled is off (known only once options are bound).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OutboxDispatcherService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ForwardingRuleAuditService>());
    }
}
