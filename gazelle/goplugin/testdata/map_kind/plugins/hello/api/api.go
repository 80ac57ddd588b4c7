package api

const V = 1
