// The browser side of the browser suite. The spec drives it with page.evaluate; every answer is
// what pusher-js's browser build reported on this page, and the page shows it too (screenshot).
(function () {
  'use strict';

  var WAIT_MS = 10000;
  var pusher = null;
  var signInVia = '';
  /** Every message soketi sent, as pusher-js decoded it. */
  var received = [];

  function show(text) {
    var item = document.createElement('li');
    item.textContent = text;
    document.getElementById('log').appendChild(item);
  }

  function setStatus(text, kind) {
    var status = document.getElementById('status');
    status.textContent = text;
    status.className = kind || '';
  }

  /** Resolves with what `listen` reports first; rejects naming what never came. */
  function waitFor(what, listen) {
    return new Promise(function (resolve, reject) {
      var stop = function () {};
      var timer = setTimeout(function () {
        stop();
        reject(new Error('timed out in the page waiting for ' + what));
      }, WAIT_MS);
      stop = listen(function (value) {
        clearTimeout(timer);
        setTimeout(function () {
          stop();
        }, 0);
        resolve(value);
      });
    });
  }

  /** The JSONP <script> elements pusher-js adds to <head>, with how each one ended. */
  var jsonpScripts = [];
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(function (node) {
        if (node.tagName !== 'SCRIPT' || node.src.indexOf('callback=') < 0)
          return;
        var entry = { src: node.src, outcome: 'pending' };
        jsonpScripts.push(entry);
        node.addEventListener('load', function () {
          entry.outcome = 'load';
        });
        node.addEventListener('error', function () {
          entry.outcome = 'error';
          show('JSONP script failed to load: the callback was never called');
        });
      });
    });
  }).observe(document.head, { childList: true });

  window.testPage = {
    /** Connects pusher-js to soketi; resolves with the socket id. */
    connect: function (options) {
      document.getElementById('origin').textContent = location.origin;
      signInVia =
        options.userAuthentication.transport +
        ' to ' +
        options.userAuthentication.endpoint;
      pusher = new Pusher(options.key, {
        cluster: 'local',
        wsHost: options.wsHost,
        wsPort: options.wsPort,
        forceTLS: false,
        enabledTransports: ['ws'],
        disableStats: true,
        userAuthentication: options.userAuthentication,
        // Our batch authorizer (window.PusherAuthBatch) when the spec asks for it.
        channelAuthorization: options.batchChannelAuthorization
          ? {
              customHandler: PusherAuthBatch.batchChannelAuthorization(
                options.batchChannelAuthorization,
              ),
            }
          : options.channelAuthorization,
      });
      pusher.connection.bind('message', function (message) {
        received.push(message);
        if (message.event === 'pusher:error') {
          show('soketi: pusher:error ' + JSON.stringify(message.data));
        }
      });
      return waitFor('pusher-js to connect to soketi', function (report) {
        var onConnected = function () {
          setStatus('connected, not signed in');
          show('connected to soketi as socket ' + pusher.connection.socket_id);
          report(pusher.connection.socket_id);
        };
        pusher.connection.bind('connected', onConnected);
        return function () {
          pusher.connection.unbind('connected', onConnected);
        };
      });
    },

    /**
     * Calls signin(); resolves with soketi's pusher:signin_success, pusher-js's
     * pusher:signin_error, or (JSONP) the failed load of the script, after which its callback
     * can never be called.
     */
    signIn: function () {
      var outcome = waitFor('a sign-in outcome', function (report) {
        // soketi's pusher:signin_success reaches this global binding before pusher-js's own
        // user handler has checked and stored user_data: wait for that.
        var onSuccess = function () {
          pusher.user.signinDonePromise.then(function () {
            var user = pusher.user.user_data;
            if (!user) return;
            setStatus(
              'signed in as ' +
                user.id +
                ' ' +
                JSON.stringify(user.user_info || {}),
              'ok',
            );
            show('pusher:signin_success, user_data ' + JSON.stringify(user));
            report({ signedIn: true, userData: user });
          });
        };
        var onError = function (error) {
          setStatus('sign-in failed', 'failed');
          show('pusher:signin_error, status ' + error.status);
          report({
            signedIn: false,
            error: { type: error.type, status: error.status },
          });
        };
        var timer = setInterval(function () {
          var failed = jsonpScripts.filter(function (s) {
            return s.outcome === 'error';
          });
          if (failed.length > 0) {
            setStatus('not signed in', 'failed');
            report({ signedIn: false, jsonpScript: 'error' });
          }
        }, 20);
        pusher.bind('pusher:signin_success', onSuccess);
        pusher.user.bind('pusher:signin_error', onError);
        return function () {
          clearInterval(timer);
          pusher.unbind('pusher:signin_success', onSuccess);
          pusher.user.unbind('pusher:signin_error', onError);
        };
      });
      show('signin() over ' + signInVia);
      pusher.signin();
      return outcome;
    },

    /** Subscribes; resolves with soketi's confirmation or pusher-js's pusher:subscription_error. */
    subscribe: function (channelName) {
      var channel = pusher.subscribe(channelName);
      return waitFor(
        'the outcome of subscribing to ' + channelName,
        function (report) {
          var onSucceeded = function () {
            show('subscribed to ' + channelName);
            report({ subscribed: true });
          };
          var onError = function (error) {
            show(
              'pusher:subscription_error on ' +
                channelName +
                ', status ' +
                error.status,
            );
            report({
              subscribed: false,
              error: { type: error.type, status: error.status },
            });
          };
          channel.bind('pusher:subscription_succeeded', onSucceeded);
          channel.bind('pusher:subscription_error', onError);
          return function () {
            channel.unbind('pusher:subscription_succeeded', onSucceeded);
            channel.unbind('pusher:subscription_error', onError);
          };
        },
      );
    },

    /**
     * Subscribes to every channel in the same tick, as a page does on load; resolves with each
     * channel's outcome, keyed by name, with pusher-js's error message for a failed one.
     */
    subscribeAll: function (channelNames) {
      var outcomes = {};
      return Promise.all(
        channelNames.map(function (channelName) {
          var channel = pusher.subscribe(channelName);
          return waitFor(
            'the outcome of subscribing to ' + channelName,
            function (report) {
              var onSucceeded = function () {
                report({ subscribed: true });
              };
              var onError = function (error) {
                show('pusher:subscription_error: ' + error.error);
                report({
                  subscribed: false,
                  error: {
                    type: error.type,
                    status: error.status,
                    error: error.error,
                  },
                });
              };
              channel.bind('pusher:subscription_succeeded', onSucceeded);
              channel.bind('pusher:subscription_error', onError);
              return function () {
                channel.unbind('pusher:subscription_succeeded', onSucceeded);
                channel.unbind('pusher:subscription_error', onError);
              };
            },
          ).then(function (outcome) {
            outcomes[channelName] = outcome;
          });
        }),
      ).then(function () {
        show('subscribed to ' + channelNames.length + ' channels at once');
        return outcomes;
      });
    },

    /** Resolves with the data of the next such event on a subscribed channel. */
    nextEvent: function (channelName, eventName) {
      var channel = pusher.channel(channelName);
      return waitFor(eventName + ' on ' + channelName, function (report) {
        var onEvent = function (data) {
          show(eventName + ' on ' + channelName + ': ' + JSON.stringify(data));
          report(data);
        };
        channel.bind(eventName, onEvent);
        return function () {
          channel.unbind(eventName, onEvent);
        };
      });
    },

    /** The first message soketi sent with that event name, already received or still to come. */
    message: function (eventName) {
      return waitFor("soketi's " + eventName, function (report) {
        var onMessage = function (message) {
          if (message.event === eventName) report(message);
        };
        received.forEach(onMessage);
        pusher.connection.bind('message', onMessage);
        return function () {
          pusher.connection.unbind('message', onMessage);
        };
      });
    },

    /** What the page knows now. */
    state: function () {
      return {
        userData: pusher ? pusher.user.user_data : null,
        events: received.map(function (m) {
          return m.event;
        }),
        jsonpScripts: jsonpScripts.slice(),
        status: document.getElementById('status').textContent,
      };
    },

    disconnect: function () {
      if (pusher) pusher.disconnect();
    },
  };
})();
