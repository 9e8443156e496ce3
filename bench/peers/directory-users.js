'use strict';
// The peers' user directory: the users the bench seeds into the service's directory (the file
// named by BENCH_USERS_FILE, written by the bench), held in a Map, as Pusher's user object.
const { readFileSync } = require('node:fs');

function directoryUsers() {
  const users = JSON.parse(readFileSync(process.env.BENCH_USERS_FILE, 'utf8'));
  return new Map(users.map((user) => [user.id, { id: user.id, user_info: JSON.parse(user.userInfo), watchlist: user.watchlist }]));
}

module.exports = { directoryUsers };
